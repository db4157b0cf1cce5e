#!/usr/bin/env python3
"""Times `importContacts` with a generated CSV, the way a user uploads one.

    bench/import_contacts.py --url http://127.0.0.1:8080 --email admin@demo.example \
        --password demo-password-1 --rows 100000 [--update-existing]

The CSV has eight mapped columns (names, e-mail, phone, company, job title, city, status and
two tags per row, 2,000 distinct companies), like a typical export from another CRM. The same
seed gives the same file, so a second run with --update-existing updates every row.
"""

import argparse
import json
import random
import time
import urllib.request
import uuid

COLUMNS = ["First Name", "Last Name", "Email", "Phone", "Company", "Title", "City", "Status", "Tags"]
MAPPING = [
    {"column": "First Name", "target": "firstName"},
    {"column": "Last Name", "target": "lastName"},
    {"column": "Email", "target": "email"},
    {"column": "Phone", "target": "phone"},
    {"column": "Company", "target": "company"},
    {"column": "Title", "target": "jobTitle"},
    {"column": "City", "target": "city"},
    {"column": "Status", "target": "status"},
    {"column": "Tags", "target": "tags"},
]
STATUSES = ["new", "contacted", "qualified", "customer"]
TAGS = ["vip", "newsletter", "partner", "event 2026", "trial", "churn risk"]
CITIES = ["Berlin", "Paris", "Lisbon", "Austin", "Toronto", "Osaka", "Nairobi"]


def csv_text(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = [",".join(COLUMNS)]
    for i in range(rows):
        tags = '"' + ",".join(rng.sample(TAGS, 2)) + '"'
        lines.append(",".join([
            f"First{i}", f"Last{i}", f"person{i}@example.com", f"+1555{i:07d}",
            f"Company {rng.randrange(2000)}", "Engineer", rng.choice(CITIES),
            rng.choice(STATUSES), tags,
        ]))
    return ("\n".join(lines) + "\n").encode()


def post(url: str, body: bytes, headers: dict) -> dict:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=900) as response:
        return json.load(response)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--email", default="admin@demo.example")
    parser.add_argument("--password", default="demo-password-1")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--update-existing", action="store_true")
    args = parser.parse_args()

    graphql = f"{args.url}/graphql"
    login = post(graphql, json.dumps({
        "query": "mutation($data: LoginInput!) { login(data: $data) { token } }",
        "variables": {"data": {"email": args.email, "password": args.password}},
    }).encode(), {"Content-Type": "application/json"})
    token = login["data"]["login"]["token"]

    data = csv_text(args.rows, args.seed)
    operations = json.dumps({
        "query": "mutation($file: Upload!, $mapping: [ImportColumnInput!]!, $options: ImportOptionsInput) {"
                 " importContacts(file: $file, mapping: $mapping, options: $options)"
                 " { created updated skipped errors { row field message } } }",
        "variables": {"file": None, "mapping": MAPPING,
                      "options": {"updateExisting": args.update_existing}},
    })
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{operations}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{{"0": ["variables.file"]}}\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="0"; filename="contacts.csv"\r\n'
        'Content-Type: text/csv\r\n\r\n',
    ]
    body = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    started = time.monotonic()
    result = post(graphql, body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Authorization": f"Bearer {token}",
        "apollo-require-preflight": "true",
    })
    elapsed = time.monotonic() - started
    if result.get("errors"):
        raise SystemExit(f"import failed: {result['errors']}")
    report = result["data"]["importContacts"]
    print(f"{args.rows} rows ({len(data) / 1e6:.1f} MB): created {report['created']}, "
          f"updated {report['updated']}, skipped {report['skipped']}, "
          f"{len(report['errors'])} errors, in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
