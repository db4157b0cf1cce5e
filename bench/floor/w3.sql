-- W3 floor: the two inserts of createContact in one transaction: the contact (five fields
-- given, the rest as the server defaults them) and its audit row with the created snapshot.
-- {{org}}, {{owner}} and {{status}} are filled in by run.sh; the id and e-mail are new for
-- every transaction.
\set n random(1, 9000000000000000000)
BEGIN;
INSERT INTO contacts (id, organization_id, first_name, last_name, email, phone, company,
                      status_id, owner_id, custom_fields, created_at, updated_at)
VALUES (md5('w3-' || :client_id || '-' || :n)::uuid, '{{org}}', 'Bench', 'Floor',
        'floor-' || :client_id || '-' || :n || '@bench.example', '+1 555 0100', 'Load Test Ltd',
        '{{status}}', '{{owner}}', '{}', now(), now());
INSERT INTO audit_log (id, organization_id, actor_id, action, entity_type, entity_id, before, after, at)
VALUES (gen_random_uuid(), '{{org}}', '{{owner}}', 'create', 'Contact',
        md5('w3-' || :client_id || '-' || :n)::uuid, NULL,
        json_build_object('id', md5('w3-' || :client_id || '-' || :n)::uuid,
                          'organizationId', '{{org}}', 'firstName', 'Bench', 'lastName', 'Floor',
                          'email', 'floor-' || :client_id || '-' || :n || '@bench.example',
                          'phone', '+1 555 0100', 'company', 'Load Test Ltd',
                          'statusId', '{{status}}', 'ownerId', '{{owner}}', 'customFields', '{}'::json,
                          'createdAt', now(), 'updatedAt', now()),
        now());
COMMIT;
