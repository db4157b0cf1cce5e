//! Login throttling per account and per client address (governor's GCRA limiters).

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use kernel::{AppError, AppResult};

/// How many attempts a minute each key gets.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub per_account_per_minute: u32,
    pub per_address_per_minute: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            per_account_per_minute: 5,
            per_address_per_minute: 30,
        }
    }
}

/// Limits attempts at unauthenticated, password-checking operations.
pub struct AuthLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
}

impl std::fmt::Debug for AuthLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthLimiter(..)")
    }
}

fn per_minute(count: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(count.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl AuthLimiter {
    /// Limiters with the given quotas.
    pub fn new(limits: RateLimits) -> Self {
        Self {
            per_account: RateLimiter::keyed(per_minute(limits.per_account_per_minute)),
            per_address: RateLimiter::keyed(per_minute(limits.per_address_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one attempt for the account (if any) and the address (if known); `RATE_LIMITED`
    /// with the seconds to wait when either is over its quota.
    pub fn check(&self, account: Option<&str>, address: Option<IpAddr>) -> AppResult<()> {
        if let Some(address) = address {
            self.per_address
                .check_key(&address)
                .map_err(|not_until| self.limited(&not_until))?;
        }
        if let Some(account) = account {
            self.per_account
                .check_key(&account.to_lowercase())
                .map_err(|not_until| self.limited(&not_until))?;
        }
        // Forget keys whose quota has fully recovered, so the maps do not grow without bound.
        if self.per_account.len() > 10_000 || self.per_address.len() > 10_000 {
            self.per_account.retain_recent();
            self.per_address.retain_recent();
        }
        Ok(())
    }

    fn limited(
        &self,
        not_until: &governor::NotUntil<<DefaultClock as Clock>::Instant>,
    ) -> AppError {
        let wait = not_until.wait_time_from(self.clock.now());
        AppError::RateLimited {
            retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_limited_after_its_quota() {
        let limiter = AuthLimiter::new(RateLimits {
            per_account_per_minute: 3,
            per_address_per_minute: 100,
        });
        for _ in 0..3 {
            assert!(limiter.check(Some("a@x.io"), None).is_ok());
        }
        match limiter.check(Some("A@X.IO"), None) {
            Err(AppError::RateLimited { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs))
            }
            other => panic!("expected RATE_LIMITED, got {other:?}"),
        }
        assert!(limiter.check(Some("b@x.io"), None).is_ok());
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limiter = AuthLimiter::new(RateLimits {
            per_account_per_minute: 100,
            per_address_per_minute: 2,
        });
        let address: IpAddr = [10, 0, 0, 1].into();
        assert!(limiter.check(Some("a@x.io"), Some(address)).is_ok());
        assert!(limiter.check(Some("b@x.io"), Some(address)).is_ok());
        assert!(limiter.check(Some("c@x.io"), Some(address)).is_err());
    }
}
