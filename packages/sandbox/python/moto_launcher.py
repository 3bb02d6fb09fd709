"""
moto server for the wshub sandbox, with ids the scenario can choose.

moto makes up ids for accounts (CreateAccount), OUs (CreateOrganizationalUnit) and EC2 instances (RunInstances),
but a scenario fixes them (333333333333, ou-prod-eu, i-0a10000000000001) and the hub's configuration refers to
them. The seeding still goes through the real AWS APIs; it only announces first, on POST /_sandbox/ids, which id
the next matching create call must get. A wanted id is keyed by something in that create call (the account's
e-mail, the OU's parent and name, the instance's ClientToken), so parallel seeding cannot mix them up.

    POST /_sandbox/ids  {"accounts": {"<email>": "<account id>"},
                         "organizationalUnits": [{"parentId": "<id>", "name": "<name>", "id": "<ou id>"}],
                         "instances": {"<ClientToken>": "<instance id>"},
                         "managementAccount": {"name": "<name>", "email": "<email>"}}
    POST /_sandbox/ec2/instances  {"accountId": "...", "region": "...", "imageId": "...",
                                   "instances": [{"id": "i-...", "tags": {"Name": "..."}, "instanceProfile": "..."}]}
    GET  /_sandbox/health

The bulk route seeds many instances at once through moto's own EC2 backend, as RunInstances would (ENIs, volumes,
instance profile associations), but without one HTTP request and one XML answer an instance: at 56,000 instances
the per-request cost (about 8 ms, most of it serialising the answer) dominated the sandbox's start. Every read
(DescribeInstances ...) still goes through moto's server on the wire.

Everything else is moto's own server. Usage: python3 moto_launcher.py --port N [--host 127.0.0.1]
"""

import argparse
import json
import logging
import os
import signal
import sys
import threading
from typing import Any, Callable

# Default AMIs cost time for every (account, region) EC2 backend, and nothing in the sandbox needs them.
os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

from moto.ec2.models import ec2_backends  # noqa: E402
from moto.ec2 import utils as ec2_utils  # noqa: E402
from moto.ec2.models import instances as ec2_instances  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app  # noqa: E402
from moto.organizations import models as org_models  # noqa: E402
from moto.organizations import utils as org_utils  # noqa: E402
from werkzeug.serving import run_simple  # noqa: E402

from moto_event_paths import patch_event_path_parsing  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402


class WantedIds:
    """Ids announced by the seeding, consumed by the create call they are keyed on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accounts: dict[str, str] = {}
        self.organizational_units: dict[tuple[str, str], str] = {}
        self.instances: dict[str, str] = {}
        self.management_account: dict[str, str] = {}

    def add(self, wanted: dict[str, Any]) -> None:
        with self.lock:
            self.accounts.update(wanted.get("accounts", {}))
            for ou in wanted.get("organizationalUnits", []):
                self.organizational_units[(ou["parentId"], ou["name"])] = ou["id"]
            self.instances.update(wanted.get("instances", {}))
            self.management_account.update(wanted.get("managementAccount", {}))

    def take(self, table: dict[Any, str], key: Any) -> str | None:
        with self.lock:
            return table.pop(key, None)


WANTED = WantedIds()
# The id for the object being built on this thread (moto serves each request on its own thread).
_building = threading.local()


def _id_from_thread_or(generate: Callable[..., str]) -> Callable[..., str]:
    def generate_or_take(*args: Any, **kwargs: Any) -> str:
        wanted = getattr(_building, "id", None)
        if wanted is not None:
            _building.id = None
            return wanted
        return generate(*args, **kwargs)

    return generate_or_take


def _build_with(wanted_id: str | None, build: Callable[[], None]) -> None:
    _building.id = wanted_id
    try:
        build()
    finally:
        _building.id = None


def patch_accounts() -> None:
    # FakeAccount.__init__ creates the account's OrganizationAccountAccessRole under the new id, so the id must be
    # right when it is generated, not fixed afterwards.
    org_utils.make_random_account_id = _id_from_thread_or(org_utils.make_random_account_id)
    original_init = org_models.FakeAccount.__init__

    def init(self: Any, organization: Any, **kwargs: Any) -> None:
        wanted = WANTED.take(WANTED.accounts, kwargs.get("Email"))
        _build_with(wanted, lambda: original_init(self, organization, **kwargs))

    org_models.FakeAccount.__init__ = init  # type: ignore[method-assign]


def patch_management_account() -> None:
    # moto names the management account "master" with master@example.com; the scenario names it.
    original_create = org_models.OrganizationsBackend.create_organization

    def create_organization(self: Any, region: str, **kwargs: Any) -> dict[str, Any]:
        original_create(self, region=region, **kwargs)
        wanted = dict(WANTED.management_account)
        master = next(a for a in self.accounts if a.id == self.org.master_account_id)
        if "name" in wanted:
            master.name = wanted["name"]
        if "email" in wanted:
            master.email = wanted["email"]
            self.org.master_account_email = wanted["email"]
        return self.org.describe()

    org_models.OrganizationsBackend.create_organization = create_organization  # type: ignore[method-assign]


def patch_organizational_units() -> None:
    # Nothing reads an OU's id while it is built, so it can be replaced afterwards. moto checks OU ids against
    # the AWS pattern (ou-xxxx-xxxxxxxx) when attaching policies and tagging; scenario ids are shorter.
    org_utils.OU_ID_REGEX = r"ou-[a-z0-9-]+"
    original_init = org_models.FakeOrganizationalUnit.__init__

    def init(self: Any, organization: Any, **kwargs: Any) -> None:
        original_init(self, organization, **kwargs)
        if kwargs.get("ParentId") is not None:
            wanted = WANTED.take(WANTED.organizational_units, (kwargs["ParentId"], kwargs.get("Name")))
            if wanted is not None:
                self.id = wanted

    org_models.FakeOrganizationalUnit.__init__ = init  # type: ignore[method-assign]


def patch_list_accounts_paging() -> None:
    # moto resumes ListAccounts at the first account with the token's JoinedTimestamp; accounts created in the same
    # instant would be repeated or skipped. The id is unique.
    org_utils.PAGINATION_MODEL["list_accounts"]["unique_attribute"] = "Id"


def patch_delegated_administrators() -> None:
    # moto knows Inspector as a trusted service but not as one with a delegated administrator.
    supported = org_models.FakeDelegatedAdministrator.SUPPORTED_SERVICES
    if "inspector2.amazonaws.com" not in supported:
        supported.append("inspector2.amazonaws.com")


def patch_instances() -> None:
    ec2_instances.random_instance_id = _id_from_thread_or(ec2_instances.random_instance_id)
    original_init = ec2_instances.Instance.__init__

    def init(self: Any, ec2_backend: Any, image_id: str, user_data: Any, security_groups: Any, **kwargs: Any) -> None:
        token = kwargs.get("client_token")
        wanted = WANTED.take(WANTED.instances, token) if token else None
        _build_with(wanted, lambda: original_init(self, ec2_backend, image_id, user_data, security_groups, **kwargs))

    ec2_instances.Instance.__init__ = init  # type: ignore[method-assign]


def patch_instance_profile_filter() -> None:
    # DescribeInstances' filter iam-instance-profile.arn (what wshub's signals use to go from roles to instances)
    # raises NotImplementedError in moto 5.2.1. The instance's profile is its association, as AWS shows it.
    original_passes = ec2_utils.passes_filter_dict
    name = "iam-instance-profile.arn"

    def passes_filter_dict(instance: Any, filter_dict: dict[str, Any]) -> bool:
        if name not in filter_dict:
            return original_passes(instance, filter_dict)
        association = instance.ec2_backend.iam_instance_profile_associations.get(instance.id)
        arn = association.iam_instance_profile.arn if association is not None else None
        rest = {key: value for key, value in filter_dict.items() if key != name}
        return arn in filter_dict[name] and original_passes(instance, rest)

    ec2_utils.passes_filter_dict = passes_filter_dict


def patch_backend_lookup() -> None:
    # moto matches the inferred host against every service's URL patterns on each request (about 1 ms, a fifth of
    # a cheap call); the answer for a host never changes. Called under the dispatcher's lock.
    original_lookup = DomainDispatcherApplication.get_backend_for_host
    known: dict[str | None, Any] = {}

    def get_backend_for_host(self: Any, host: str | None) -> Any:
        if host not in known:
            known[host] = original_lookup(self, host)
        return known[host]

    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host  # type: ignore[method-assign]


def newest_first(backend: Any) -> Callable[[str], Any]:
    """moto's get_instance copies every reservation to find one instance, so seeding n instances costs n² copies.
    Run_instances looks up the instance it has just created: searching from the newest reservation finds it at once."""

    def get_instance(instance_id: str) -> Any:
        for reservation in reversed(backend.reservations.values()):
            for instance in reservation.instances:
                if instance.id == instance_id:
                    return instance
        raise ec2_instances.InvalidInstanceIdError(instance_id)

    return get_instance


def seed_instances(body: dict[str, Any]) -> int:
    """Create instances in one account and region with the ids, tags and instance profiles given."""
    backend = ec2_backends[body["accountId"]][body["region"]]
    backend.get_instance = newest_first(backend)
    try:
        return create_instances(backend, body)
    finally:
        del backend.get_instance


def create_instances(backend: Any, body: dict[str, Any]) -> int:
    for wanted in body["instances"]:
        kwargs: dict[str, Any] = {
            "instance_type": "t3.micro",
            # True skips moto's check of the type against its whole catalogue, 70 % of an instance's cost.
            "is_instance_type_default": True,
            "region_name": body["region"],
            "tags": {"instance": dict(wanted.get("tags", {}))},
            "security_group_ids": [],
            "nics": [],
            "launch_template": {},
            "hibernation_options": {},
            "metadata_options": {},
            "instance_market_options": {},
            "client_token": wanted["id"],
            "iam_instance_profile_name": wanted.get("instanceProfile"),
        }
        # The id travels as on the wire: announced for the client token the create call carries.
        WANTED.add({"instances": {wanted["id"]: wanted["id"]}})
        reservation = backend.run_instances(body["imageId"], 1, None, [], **kwargs)
        if wanted.get("instanceProfile"):
            # RunInstances' own request handler associates the profile after creating the instance: do the same.
            backend.associate_iam_instance_profile(
                instance_id=reservation.instances[0].id, iam_instance_profile_name=wanted["instanceProfile"]
            )
    return len(body["instances"])


def with_sandbox_routes(moto_app: Any) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_sandbox/"):
            return moto_app(environ, start_response)
        request = Request(environ)
        if path == "/_sandbox/health":
            response = Response("ok")
        elif path == "/_sandbox/ids" and request.method == "POST":
            try:
                WANTED.add(json.loads(request.get_data()))
                response = Response("{}", content_type="application/json")
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                response = Response(json.dumps({"error": f"bad ids: {error}"}), 400, content_type="application/json")
        elif path == "/_sandbox/ec2/instances" and request.method == "POST":
            try:
                created = seed_instances(json.loads(request.get_data()))
                response = Response(json.dumps({"created": created}), content_type="application/json")
            except Exception as error:  # noqa: BLE001 - the seeding reports any failure with its reason
                response = Response(json.dumps({"error": f"seeding failed: {error!r}"}), 400, content_type="application/json")
        else:
            response = Response(json.dumps({"error": f"no route {request.method} {path}"}), 404)
        return response(environ, start_response)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))
    # One line per request on stderr costs time when seeding thousands of accounts.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    patch_accounts()
    patch_management_account()
    patch_organizational_units()
    patch_list_accounts_paging()
    patch_delegated_administrators()
    patch_instances()
    patch_instance_profile_filter()
    patch_backend_lookup()
    patch_event_path_parsing()

    moto_app = DomainDispatcherApplication(create_backend_app)
    run_simple(args.host, args.port, with_sandbox_routes(moto_app), threaded=True)


if __name__ == "__main__":
    main()
