#!/usr/bin/env python3
"""Conformance of scoville's client and emulator to the official Edge API extracts.

Usage:
  scripts/check_conformance.py OFFICIAL_DIR [--binary PATH] [--keep DIR]
  scripts/check_conformance.py OFFICIAL_DIR --trace FILE [FILE ...]
  scripts/check_conformance.py OFFICIAL_DIR --self-test

OFFICIAL_DIR is the copy of Chili Piper's official material (it holds
gpts/edge-operations.yaml and gpts/*/openapi.yaml, edgeVersion 1.494.0).

Without --trace, the script runs a realistic session with the scoville binary
(default target/debug/scoville) against `scoville sandbox serve` on loopback:
doctor, plan, apply, drift and export of examples/acme, then a second apply that
removes a team, a member, a rule and a distribution, creates others and changes a
rule and the workspace settings, an apply refused for want of a permission (its
error answer is checked too), and doctor with the read-only token. The sandbox is seeded with the
demo org plus meeting types, reminders and a scheduling link of every kind (so their reads are
checked with content), and after the commands the script itself calls every meeting-type,
reminder and scheduling-link write once (and a few refusals: a reused idempotency key, a taken
slug, a meeting type still offered by a link, an unknown link), recording each exchange, so
the emulator's answers to them are checked too. Every command writes `--trace-http`, which holds
every request the client sent and every answer the emulator gave, exactly (the
trace replaces emails with `email-N@scrubbed.example` and names with `Name N`,
which keep every string format valid). With --trace, it checks given trace files
instead (a user's bug-report trace, say).

Each traced exchange is checked:
- its method and path against the catalogue (gpts/edge-operations.yaml): an
  operation missing from it, or marked deprecated there, is a violation;
- against the operation of the same method and path template in the extracts,
  when one has it: path and query parameters (required ones present, no unknown
  ones, values valid for their schemas), the JSON request body against the
  requestBody schema, and the answer against the response of its status (or
  `default`): JSON bodies against their schema, a text/plain answer where the
  operation answers text. Operations no extract describes are listed as not
  covered (their shape is "not stated" upstream), not as violations.

Validation is done by the `jsonschema` library (JSON Schema 2020-12, the dialect
of OpenAPI 3.1) with `$ref`s resolved through `referencing`, and the formats
uuid, date, date-time (through rfc3339), email, int32 and int64 checked. The one
known error of the extracts (the value schema of user-update-licenses, garbled by
the generator) is corrected in `correct_errata`. One deviation from a literal
reading, kept here: a `oneOf` WITHOUT a discriminator is
checked as `anyOf`, because the official generator emits such unions whose
branches overlap (`DataObject` lists several plain strings, every one of which
matches any string), so exactly-one would refuse every valid document. A `oneOf`
with a discriminator stays exactly-one.

Exit status: 0 no violation; 1 violations (or a session command failed);
2 usage or setup errors. Needs Python 3.9+, jsonschema and PyYAML (pinned in
scripts/conformance-requirements.txt; .ci/run installs them in a virtualenv).
"""

import argparse
import copy
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

try:
    import yaml
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as missing:  # pragma: no cover - setup error
    sys.stderr.write(
        "error: %s: install the pinned packages with "
        "`pip install -r scripts/conformance-requirements.txt` (or run .ci/run)\n" % missing
    )
    sys.exit(2)

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# libyaml's loader when PyYAML has it (the wheels do): the extracts are 40,000 lines.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ADMIN_TOKEN = "scoville-demo-admin-token"
READONLY_TOKEN = "scoville-demo-readonly-token"


# ----- the official material -----------------------------------------------------------------


def template_regex(path):
    """`/v2/org/team/{teamId}` -> a regex matching one segment per placeholder."""
    parts = re.split(r"(\{[^}]+\})", path)
    pattern = "".join("([^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    names = [p[1:-1] for p in parts if p.startswith("{")]
    return re.compile("^" + pattern + "$"), names


def as_any_of(node):
    """oneOf without a discriminator -> anyOf (see the module docstring), everywhere."""
    if isinstance(node, dict):
        out = {key: as_any_of(value) for key, value in node.items()}
        if "oneOf" in out and "discriminator" not in out:
            out["anyOf"] = out.pop("oneOf")
        return out
    if isinstance(node, list):
        return [as_any_of(item) for item in node]
    return node


def correct_errata(document):
    """The one known error of the published extracts, corrected here and nowhere else.

    `UpdateLicensesRequest.update` refers to `Map_Refined_String_Refinement_V`, whose values the
    generator gives as `AvailabilityFailure` (two Scala types share that generated name). The
    operation's own description ("map of user id to the full set of licenses") and Chili
    Piper's skill docs give the values as `UserLicenses`, which the same extracts define.
    """
    schemas = document.get("components", {}).get("schemas", {})
    request = schemas.get("UpdateLicensesRequest")
    if request and "UserLicenses" in schemas:
        request["properties"]["update"] = {
            "type": "object",
            "additionalProperties": {"$ref": "#/components/schemas/UserLicenses"},
        }
    return document


def int_format(bits):
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1

    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            return True  # formats apply to their own type only
        return low <= value <= high

    return check


FORMATS = FormatChecker()
FORMATS.checks("int32")(int_format(32))
FORMATS.checks("int64")(int_format(64))


class Official:
    """The catalogue and the extracts, with validators built on demand."""

    def __init__(self, directory):
        gpts = os.path.join(directory, "gpts")
        catalogue_path = os.path.join(gpts, "edge-operations.yaml")
        extracts = sorted(glob.glob(os.path.join(gpts, "*", "openapi.yaml")))
        if not os.path.isfile(catalogue_path) or not extracts:
            raise SystemExit(
                "error: %s has no gpts/edge-operations.yaml or gpts/*/openapi.yaml: "
                "give the official directory (e.g. ../shared/edge-api/official)" % directory
            )
        with open(catalogue_path, encoding="utf-8") as handle:
            catalogue = yaml.load(handle, Loader=LOADER)
        self.edge_version = catalogue.get("edgeVersion")
        self.catalogue = []
        for name, entry in catalogue["operations"].items():
            regex, _ = template_regex(entry["path"])
            self.catalogue.append((entry["method"].upper(), regex, name, entry))
        self.registry = Registry()
        self.operations = []  # (method, regex, names, uri, pointer, operation)
        seen = set()
        for index, path in enumerate(extracts):
            with open(path, encoding="utf-8") as handle:
                document = correct_errata(as_any_of(yaml.load(handle, Loader=LOADER)))
            uri = "urn:official:%d" % index
            self.registry = self.registry.with_resource(
                uri, Resource.from_contents(document, default_specification=DRAFT202012)
            )
            for template, item in document.get("paths", {}).items():
                for method, operation in item.items():
                    if not isinstance(operation, dict) or "responses" not in operation:
                        continue
                    key = (method.upper(), template)
                    if key in seen:
                        continue  # the extracts are cut from one canonical spec
                    seen.add(key)
                    regex, names = template_regex(template)
                    pointer = "/paths/%s/%s" % (escape(template), method)
                    self.operations.append(
                        (method.upper(), regex, names, uri, pointer, operation, template)
                    )
        self.validators = {}

    def catalogue_entry(self, method, path):
        for entry_method, regex, name, entry in self.catalogue:
            if entry_method == method and regex.match(path):
                return name, entry
        return None, None

    def operation(self, method, path):
        for entry in self.operations:
            if entry[0] == method:
                match = entry[1].match(path)
                if match:
                    return entry, dict(zip(entry[2], match.groups()))
        return None, None

    def errors(self, uri, pointer, instance):
        """Schema errors of `instance` against the schema at `uri#pointer`."""
        key = (uri, pointer)
        if key not in self.validators:
            self.validators[key] = Draft202012Validator(
                {"$ref": uri + "#" + pointer}, registry=self.registry, format_checker=FORMATS
            )
        return sorted(
            self.validators[key].iter_errors(instance), key=lambda e: list(e.absolute_path)
        )


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def json_path(error):
    return "$" + "".join(
        "[%d]" % part if isinstance(part, int) else "." + str(part) for part in error.absolute_path
    )


def short(error):
    message = error.message
    return message if len(message) <= 300 else message[:300] + "..."


# ----- checking one exchange ------------------------------------------------------------------


def coerce(value, schema):
    """A query string value as the type its schema wants, when it parses."""
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "boolean" and value in ("true", "false"):
            return value == "true"
    except ValueError:
        pass
    return value


def check_line(official, line, report):
    method = line.get("method", "")
    target = line.get("path", "")
    path, _, query = target.partition("?")
    where = "%s %s (%s)" % (method, path, line.get("op", "?"))
    violations = report["violations"]

    name, catalogued = official.catalogue_entry(method, path)
    if catalogued is None:
        violations.append(("request", where, "not an operation of the official catalogue"))
        return
    if catalogued.get("deprecated"):
        violations.append(
            (
                "request",
                where,
                "`%s` is deprecated in the catalogue (replacement: %s)"
                % (name, catalogued.get("replacement", "none named")),
            )
        )
    found, path_values = official.operation(method, path)
    if found is None:
        report["uncovered"].add("%s %s" % (method, catalogued["path"]))
        return
    _, _, _, uri, pointer, operation, template = found
    report["covered"].add("%s %s" % (method, template))

    # Parameters.
    parameters = operation.get("parameters", [])
    given = urllib.parse.parse_qsl(query, keep_blank_values=True)
    given_names = [key for key, _ in given]
    for index, parameter in enumerate(parameters):
        spot = "%s/parameters/%d/schema" % (pointer, index)
        if parameter.get("in") == "query":
            values = [value for key, value in given if key == parameter["name"]]
            if not values and parameter.get("required"):
                violations.append(
                    ("request", where, "query parameter `%s` is required" % parameter["name"])
                )
            for value in values:
                for error in official.errors(uri, spot, coerce(value, parameter["schema"])):
                    violations.append(
                        ("request", where, "query `%s`: %s" % (parameter["name"], short(error)))
                    )
        elif parameter.get("in") == "path" and parameter["name"] in path_values:
            value = urllib.parse.unquote(path_values[parameter["name"]])
            for error in official.errors(uri, spot, coerce(value, parameter["schema"])):
                violations.append(
                    ("request", where, "path `%s`: %s" % (parameter["name"], short(error)))
                )
    known = {p["name"] for p in parameters if p.get("in") == "query"}
    for key in sorted(set(given_names) - known):
        violations.append(("request", where, "query parameter `%s` is not in the operation" % key))

    # Request body.
    request_body = operation.get("requestBody")
    if "request" in line:
        media = (request_body or {}).get("content", {}).get("application/json")
        if media is None:
            violations.append(("request", where, "a JSON body where the operation takes none"))
        else:
            spot = pointer + "/requestBody/content/application~1json/schema"
            for error in official.errors(uri, spot, line["request"]):
                violations.append(("request", where, "%s: %s" % (json_path(error), short(error))))
    elif request_body and request_body.get("required"):
        violations.append(("request", where, "no body where the operation requires one"))

    # Answer.
    status = line.get("status")
    if status is None:
        return
    responses = operation.get("responses", {})
    key = str(status) if str(status) in responses else "default"
    response = responses.get(key)
    if response is None:
        violations.append(("response", where, "status %s is not an answer of the operation" % status))
        return
    content = response.get("content") or {}
    answered_json = "json" in (line.get("responseContentType") or "")
    body = line.get("response")
    if "application/json" in content:
        spot = "%s/responses/%s/content/application~1json/schema" % (pointer, escape(key))
        if body is None or not answered_json:
            violations.append(
                ("response", where, "status %s: no JSON answer where the operation answers JSON" % status)
            )
        else:
            for error in official.errors(uri, spot, body):
                violations.append(
                    ("response", where, "status %s %s: %s" % (status, json_path(error), short(error)))
                )
    elif "text/plain" in content:
        if answered_json:
            violations.append(
                ("response", where, "status %s: JSON where the operation answers text/plain" % status)
            )
    elif body is not None and answered_json and status < 300:
        violations.append(("response", where, "status %s: a JSON body where the operation has none" % status))


def check_traces(official, paths):
    report = {"violations": [], "uncovered": set(), "covered": set(), "n_exchanges": 0}
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for number, text in enumerate(handle, 1):
                if not text.strip():
                    continue
                try:
                    line = json.loads(text)
                except ValueError as error:
                    report["violations"].append(("trace", "%s:%d" % (path, number), str(error)))
                    continue
                report["n_exchanges"] += 1
                check_line(official, line, report)
    return report


def print_report(report, official):
    violations = report["violations"]
    unique = sorted(set(violations))
    print(
        "conformance (official extracts, edgeVersion %s): %d exchanges, %d operations checked, "
        "%d not covered by any extract"
        % (official.edge_version, report["n_exchanges"], len(report["covered"]), len(report["uncovered"]))
    )
    for operation in sorted(report["uncovered"]):
        print("  not covered: %s" % operation)
    n_request = len({v for v in unique if v[0] == "request"})
    n_response = len({v for v in unique if v[0] == "response"})
    print("%d request and %d response violations (distinct)" % (n_request, n_response))
    for side, where, message in unique:
        count = violations.count((side, where, message))
        suffix = " (x%d)" % count if count > 1 else ""
        print("  %s %s: %s%s" % (side, where, message, suffix))
    return not violations


# ----- the session ----------------------------------------------------------------------------


def teardown_manifests(source, target):
    """A copy of the acme manifests that removes a team, a member, a rule and a distribution
    (dropping it from the scheduling link that routes to it), creates a rule and a
    distribution, changes a rule and the workspace settings: deletes, removals, creates and
    updates to exercise."""
    shutil.copytree(source, target)
    org_path = os.path.join(target, "org.yaml")
    sales_path = os.path.join(target, "sales.yaml")
    with open(org_path, encoding="utf-8") as handle:
        org = yaml.safe_load(handle)
    org["org"]["policy"]["prune"] = {
        "Sales": ["teams", "distributions", "rules", "workspaceMembers"]
    }
    with open(sales_path, encoding="utf-8") as handle:
        sales = yaml.safe_load(handle)
    workspace = sales["workspaces"]["Sales"]
    leaving = "olivia.reyes@acme.example"
    workspace["members"] = [m for m in workspace["members"] if m != leaving]
    for team, members in workspace.get("teams", {}).items():
        workspace["teams"][team] = [m for m in members if m != leaving]
    distributions = workspace.get("distributions", {})
    for distribution in distributions.values():
        for field in ("weights", "calibration"):
            if isinstance(distribution.get(field), dict):
                distribution[field].pop(leaving, None)
        caps = ((distribution.get("meeting") or {}).get("limits") or {}).get("caps")
        if isinstance(caps, dict):
            caps.pop(leaving, None)
    workspace.get("teams", {}).pop("mid-market-ae", None)
    names = sorted(distributions)
    if names:
        first = names[0]
        distributions[first + " (copy)"] = copy.deepcopy(distributions[first])
        if len(names) > 1:
            distributions.pop(names[-1])
            # A link that routes to the deleted distribution drops it first (a link update
            # before the distribution delete, in the plan's order).
            for link in (workspace.get("schedulingLinks") or {}).values():
                routed = link.get("distributions")
                if isinstance(routed, list) and names[-1] in routed and len(routed) > 1:
                    routed.remove(names[-1])
    rules = workspace.get("rules", {})
    rule_names = sorted(rules)
    if rule_names:
        rules[rule_names[0] + " (copy)"] = copy.deepcopy(rules[rule_names[0]])
        if len(rule_names) > 1:
            rules.pop(rule_names[-1])
    if len(rule_names) > 2:
        changed = rules[rule_names[1]]
        for group in ("all", "any"):
            if isinstance(changed.get(group), list) and changed[group]:
                changed[group] = changed[group][:1]
                break
    settings = workspace.get("settings")
    if isinstance(settings, dict) and isinstance(settings.get("creditBackNoShow"), bool):
        settings["creditBackNoShow"] = not settings["creditBackNoShow"]
    with open(org_path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(org, handle, sort_keys=False)
    with open(sales_path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(sales, handle, sort_keys=False)


def booking_seed(work):
    """The demo org with meeting types, reminders and a scheduling link of every kind in Sales
    (the seed format of src/emulator/mod.rs), written to `work`; returns its path."""
    with open(os.path.join(REPO, "examples", "demo-org.json"), encoding="utf-8") as handle:
        seed = json.load(handle)
    sales = next(w for w in seed["workspaces"] if w["name"] == "Sales")
    host = sales["members"][0]
    sales["reminders"] = [
        {"name": "Day before", "channel": "Email", "title": "Tomorrow",
         "trigger": {"kind": "BeforeMeeting", "offset": "1 day"},
         "body": "See you tomorrow: {!CP.Meeting.RescheduleUrl}", "sendTo": "SendToAllGuests"},
    ]
    sales["meetingTypes"] = [
        {"name": "Demo", "duration": "30 minutes", "reminders": ["Day before"],
         "buffers": {"before": "10 minutes"},
         "meetingLimit": {"limitBy": "Email", "timeframe": "Weekly", "count": 2}},
        {"name": "Discovery", "duration": "45 minutes",
         "sharedWith": {"type": "Teams", "teams": [sales["teams"][0]["name"]]}},
    ]
    # The distribution the session's teardown keeps (it deletes the last by name, which a link
    # would hold: a distribution a link routes to cannot be deleted).
    distributions = sorted(d["name"] for d in sales["distributions"])[:1]
    sales["schedulingLinks"] = [
        {"kind": "round-robin", "name": "Book a demo", "slug": "demo",
         "meetingTypes": ["Demo"], "distributions": distributions},
        {"kind": "group", "name": "Panel", "slug": "panel", "meetingTypes": ["Discovery"],
         "host": host},
        {"kind": "admin-one-on-one", "name": "Admin", "slug": "admin", "meetingTypes": ["Demo"]},
        {"kind": "ownership", "name": "Your owner", "slug": "owner", "meetingTypes": ["Demo"],
         "distributions": distributions[:1], "ownership": OWNERSHIP},
    ]
    path = os.path.join(work, "booking-seed.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(seed, handle)
    return path


# A valid `OwnershipInvitation` of the extracts (the emulator keeps it as given).
OWNERSHIP = {
    "ownershipSettings": {"type": "WithMixedRouting", "strategies": [
        {"type": "RuleBasedRouting", "ruleId": "owner-rule", "scheduleWithTeamMember": "OwnerOnly",
         "required": True}]},
    "host": {"type": "AssigneeFromSimpleRule"},
    "bookerInvitation": {"type": "DoNotInvite"},
}


def call(base, method, path, body=None, token=ADMIN_TOKEN):
    """One raw request to the sandbox, as a trace line (`op` is the path: the checker finds the
    operation by method and path)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            status, kind, text = answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as error:
        status, kind, text = error.code, error.headers.get("Content-Type", ""), error.read()
    line = {"op": path, "method": method, "path": path, "status": status, "responseContentType": kind}
    if body is not None:
        line["request"] = body
    if text and "json" in kind:
        line["response"] = json.loads(text)
    return line


def booking_exchanges(base):
    """Every meeting-type, reminder and scheduling-link write once against the sandbox, and a
    few refusals, as trace lines; `failures` lists the answers that were not the expected
    status."""
    lines, failures = [], []

    def expect(status, method, path, body=None):
        line = call(base, method, path, body)
        lines.append(line)
        if line["status"] != status:
            failures.append("%s %s answered %s, not %s: %s" % (method, path, line["status"], status, line.get("response")))
        return line.get("response") or {}

    workspaces = expect(200, "GET", "/v1/org/workspace?page=0&pageSize=50")["results"]
    sales = next(w["id"] for w in workspaces if w["name"] == "Sales")
    distributions = expect(200, "PUT", "/v2/org/distribution/list", {"workspaceIds": [sales], "page": 0, "pageSize": 50})["results"]
    distribution = distributions[0]["id"]
    users = expect(200, "GET", "/v1/org/workspace/users?workspaceId=%s&page=0&pageSize=50" % sales)["results"]
    listed = expect(200, "GET", "/v1/org/meeting-types/list?workspaceId=%s" % sales)
    expect(200, "GET", "/v1/org/meeting-types/%s" % listed[0]["id"])

    key = "0f8e5d2c-4b7a-4c1e-9a3f-6d5b8c7e9f10"
    create = {"workspaceId": sales, "name": "Conformance", "duration": "20 minutes",
              "location": {"default": {"type": "ZoomOneTimeLink", "index": 0, "host": "Host"}, "others": []},
              "sharedWith": {"type": "Workspace"}, "idempotencyKey": key}
    made = expect(200, "POST", "/v1/org/meeting-types", create)
    expect(200, "POST", "/v1/org/meeting-types", create)
    expect(409, "POST", "/v1/org/meeting-types", dict(create, name="Other"))
    meeting_type = made["id"]
    seeded = made["reminders"][0]["id"]
    expect(200, "PUT", "/v1/org/meeting-types/%s" % meeting_type,
           {"inviteTitle": "Meet {!CP.Host.FullName}", "status": "Inactive", "buffers": {"after": "5 minutes"}})
    reminder = expect(200, "POST", "/v1/org/meeting-type-reminders",
                      {"workspaceId": sales, "channel": "Sms", "name": "Nudge", "smsSendFrom": "AnyNumber",
                       "trigger": {"kind": "BeforeMeetingNoResponse", "offset": "2 hours"},
                       "body": "Still on? {!CP.Meeting.ShortRescheduleUrl}"})["id"]
    expect(200, "PUT", "/v1/org/meeting-type-reminders/%s?workspaceId=%s" % (reminder, sales), {"name": "Nudge twice"})
    expect(200, "PUT", "/v1/org/meeting-types/%s/reminders/%s" % (meeting_type, reminder))
    expect(200, "DELETE", "/v1/org/meeting-types/%s/reminders/%s" % (meeting_type, seeded))
    expect(200, "GET", "/v1/org/meeting-type-reminders/list?workspaceId=%s" % sales)

    common = {"workspaceId": sales, "meetingTypeIds": [meeting_type]}
    creates = [
        ("round-robin", dict(common, name="RR", slug="conformance-rr", distributionIds=[distribution])),
        ("group", dict(common, name="Group", slug="conformance-group", hostUserId=users[0]["id"],
                       requiredMemberIds=[users[1]["id"]])),
        ("admin-one-on-one", dict(common, name="Admin", slug="conformance-admin")),
        ("ownership", dict(common, name="Owner", slug="conformance-owner", ownership=OWNERSHIP,
                           distribution={"assignments": [{"distributionId": distribution, "required": True}],
                                         "host": {"type": "BookerIfExists"},
                                         "bookerInvitation": {"type": "Invite", "autoDeclineOnBookersBehalf": False,
                                                              "required": False}},
                           pageConfig={"title": "Meet your owner"})),
    ]
    for kind, body in creates:
        link = expect(200, "POST", "/v1/org/schedulingLinks/%s" % kind, body)["linkId"]
        expect(200, "POST", "/v1/org/schedulingLinks/list-%s" % kind, {"filterWorkspaceIds": [sales]})
        expect(200, "PUT", "/v1/org/schedulingLinks/%s/%s" % (kind, link), {"name": body["name"] + " renamed"})
        expect(409, "POST", "/v1/org/schedulingLinks/%s" % kind, body)
        if kind == "round-robin":
            expect(409, "DELETE", "/v1/org/meeting-types/%s" % meeting_type)
        expect(200, "DELETE", "/v1/org/schedulingLinks/%s/%s" % (kind, link))
        expect(404, "DELETE", "/v1/org/schedulingLinks/%s/%s" % (kind, link))
    expect(200, "DELETE", "/v1/org/meeting-type-reminders/%s?workspaceId=%s" % (reminder, sales))
    expect(200, "DELETE", "/v1/org/meeting-types/%s" % meeting_type)
    return lines, failures


def start_server(binary, work):
    process = subprocess.Popen(
        [binary, "sandbox", "serve", "--port", "0", "--state", os.path.join(work, "state.json"),
         "--seed", booking_seed(work)],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = process.stdout.readline()
        if not text:
            break
        match = re.search(r"base URL\s+(\S+)", text)
        if match:
            return process, match.group(1)
    process.kill()
    raise SystemExit("error: `scoville sandbox serve` did not print its base URL: %s" % process.stderr.read())


def run_session(binary, work):
    """Runs the session; returns (trace files, failures), the exchanges of
    `booking_exchanges` written as one more trace file."""
    process, base = start_server(binary, work)
    acme = os.path.join(REPO, "examples", "acme")
    teardown = os.path.join(work, "teardown")
    teardown_manifests(acme, teardown)
    steps = [
        ("doctor", ADMIN_TOKEN, ["doctor", acme], (0,)),
        ("plan", ADMIN_TOKEN, ["plan", acme], (0,)),
        ("apply", ADMIN_TOKEN, ["apply", acme, "--auto-approve"], (0,)),
        ("drift", READONLY_TOKEN, ["drift", acme], (0, 2)),
        ("export", READONLY_TOKEN, ["export", "--out", os.path.join(work, "exported")], (0,)),
        ("teardown", ADMIN_TOKEN, ["apply", teardown, "--auto-approve", "--allow-destructive"], (0,)),
        ("drift-after", READONLY_TOKEN, ["drift", teardown], (0, 2)),
        # A write with the read-only token: the refusal is checked against the error schema.
        ("apply-refused", READONLY_TOKEN, ["apply", acme, "--auto-approve"], (1,)),
        ("doctor-readonly", READONLY_TOKEN, ["doctor", teardown, "--format", "json"], (0,)),
    ]
    traces, failures = [], []
    try:
        for name, token, args, expected in steps:
            trace = os.path.join(work, name + ".jsonl")
            environment = dict(os.environ, CHILI_PIPER_API_KEY=token, NO_COLOR="1")
            environment.pop("SCOVILLE_ENDPOINT", None)
            started = time.monotonic()
            done = subprocess.run(
                [binary] + args + ["--endpoint", base, "--trace-http", trace],
                cwd=work,
                env=environment,
                capture_output=True,
                text=True,
            )
            print("  %-16s exit %d in %.2fs" % (name, done.returncode, time.monotonic() - started))
            if done.returncode not in expected:
                failures.append("%s exited %d: %s" % (name, done.returncode, (done.stderr or done.stdout)[-2000:]))
            if os.path.exists(trace):
                traces.append(trace)
        lines, booking_failures = booking_exchanges(base)
        failures.extend(booking_failures)
        trace = os.path.join(work, "booking-writes.jsonl")
        with open(trace, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(json.dumps(line) + "\n")
        traces.append(trace)
        print("  %-16s %d exchanges" % ("booking-writes", len(lines)))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return traces, failures


# ----- self-test: a planted mismatch is caught ------------------------------------------------


def self_test(official):
    """Checks a known-good exchange passes and planted mismatches are each reported."""
    good = {
        "op": "tenant-get", "method": "GET", "path": "/v1/org/tenant/get", "status": 200,
        "responseContentType": "application/json",
        "response": {"type": "Organization",
                     "tenantData": {"tenantId": "t.app1", "cluster": "app1", "subdomain": "t"}},
    }
    planted = [
        ("unknown tenant variant", dict(good, response={"type": "Galaxy", "tenantData": {}})),
        ("path not in the catalogue", dict(good, op="rule-modify", method="PUT",
                                          path="/v1/org/rule/00000000-0000-4000-8000-000000000001",
                                          response=None, status=None)),
        ("deprecated operation", dict(good, op="distribution-update", method="POST",
                                      path="/v1/org/distribution/00000000-0000-4000-8000-000000000001",
                                      status=None)),
        ("page size of the wrong type", dict(good, op="workspace-list", path="/v1/org/workspace?pageSize=many",
                                             status=None)),
        ("team-create body missing its name", dict(good, op="team-create", method="POST",
                                                   path="/v2/org/team/create",
                                                   request={"workspaceId": "w"}, status=None)),
        ("link offering no meeting type", dict(good, op="scheduling-link-create-admin-one-on-one",
                                               method="POST", path="/v1/org/schedulingLinks/admin-one-on-one",
                                               request={"workspaceId": "w", "name": "n", "slug": "book",
                                                        "meetingTypeIds": []},
                                               status=None)),
        ("meeting type answer without inviteTitle", dict(good, op="meeting-type-get",
                                                         path="/v1/org/meeting-types/6d747970-0000-4000-8000-000000000001",
                                                         response={"id": "6d747970-0000-4000-8000-000000000001",
                                                                   "workspaceId": "w", "name": "n",
                                                                   "inviteDescription": "", "status": "Active",
                                                                   "duration": "30 minutes", "buffers": {},
                                                                   "location": {"default": {"type": "AskTheGuest",
                                                                                            "index": 0}}})),
    ]
    report = check_traces_from_lines(official, [good])
    if report["violations"]:
        print("self-test: a valid tenant-get answer was refused: %s" % report["violations"])
        return False
    ok = True
    for name, line in planted:
        line = {key: value for key, value in line.items() if value is not None}
        found = check_traces_from_lines(official, [line])["violations"]
        print("self-test: %-36s %s" % (name, "caught: " + found[0][2] if found else "MISSED"))
        ok = ok and bool(found)
    return ok


def check_traces_from_lines(official, lines):
    report = {"violations": [], "uncovered": set(), "covered": set(), "n_exchanges": len(lines)}
    for line in lines:
        check_line(official, line, report)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("official", help="the official directory (holds gpts/)")
    parser.add_argument("--binary", default=os.path.join(REPO, "target", "debug", "scoville"))
    parser.add_argument("--trace", nargs="+", help="check these trace files instead of running a session")
    parser.add_argument("--keep", help="run the session in this directory and keep it")
    parser.add_argument("--self-test", action="store_true", help="show that planted mismatches are caught")
    args = parser.parse_args()
    official = Official(args.official)
    if args.self_test:
        return 0 if self_test(official) else 1
    failures = []
    if args.trace:
        traces = args.trace
    else:
        if not os.access(args.binary, os.X_OK):
            sys.stderr.write("error: no scoville binary at %s: run `cargo build --locked`\n" % args.binary)
            return 2
        work = args.keep or tempfile.mkdtemp(prefix="scoville-conformance-")
        os.makedirs(work, exist_ok=True)
        print("session in %s" % work)
        traces, failures = run_session(args.binary, work)
    report = check_traces(official, traces)
    ok = print_report(report, official)
    for failure in failures:
        print("session: %s" % failure)
    return 0 if ok and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
