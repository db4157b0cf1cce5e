//! Bookmarks: the smallest whole object on the mechanism (CRUD, a filtered list, soft delete,
//! restore, destroy, audit), kept as the template a new object starts from and as the proof that
//! the mechanism alone gives it the behaviour every object shares.

pub mod entity;
pub mod graphql;
pub mod service;

kernel::tenant_object!(entity, "Bookmark", soft_delete);
