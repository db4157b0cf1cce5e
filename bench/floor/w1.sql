-- W1 floor: the newest 50 contacts of one organization with their company, owner and tags, in
-- one statement, as a hand-written server would fetch them ({{org}} is filled in by run.sh).
SELECT c.id, c.first_name, c.last_name, c.email,
       co.id, co.name,
       u.id, u.email,
       (SELECT array_agg(t.name ORDER BY t.name)
          FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.contact_id = c.id) AS tags
  FROM contacts c
  LEFT JOIN companies co ON co.id = c.company_id AND co.deleted_at IS NULL
  LEFT JOIN users u ON u.id = c.owner_id
 WHERE c.organization_id = '{{org}}' AND c.deleted_at IS NULL
 ORDER BY c.created_at DESC NULLS LAST, c.id
 LIMIT 50;
