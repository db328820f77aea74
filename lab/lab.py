#!/usr/bin/env python3
"""The local lab: containers on one machine standing in for a fleet of Linux hosts.

LAB ONLY. Production fleets are described by an inventory like
inventories/production.example and never touch this script.

  lab.py engine    make sure a Docker engine answers (installs docker.io on Debian/Ubuntu)
  lab.py images    build the lab base images (debootstrap -> docker import -> systemd)
  lab.py prepare   engine + images + lab network + shared apt cache
  lab.py up        prepare, then start every host of inventories/lab
  lab.py status    one line per lab container
  lab.py info      hosts, service endpoints and where credentials live (--json)
  lab.py down      remove lab containers and networks (volumes and caches stay)
  lab.py destroy   down, plus the lab volumes and generated credentials
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAB_NAME = "odoo-saas-lab"
LAB_LABEL = "odoo_saas.lab"
DEFINITION_LABEL = "odoo_saas.lab.definition"
SUITE = "bookworm"
IMAGES_DIR = REPO / "lab" / "images"
PLAYBOOKS_DIR = REPO / "lab" / "playbooks"
INVENTORY = REPO / "inventories" / "lab" / "hosts.yml"
SECRETS_DIR = INVENTORY.parent / ".secrets"
VENV = Path(os.environ.get("ODOO_SAAS_VENV", REPO / ".venv"))
DOCKERD_LOG = Path(os.environ.get("ODOO_SAAS_DOCKERD_LOG", "/var/log/odoo-saas-lab-dockerd.log"))
ENGINE_WAIT_SECONDS = 90

# Image name -> (build directory or None for the debootstrap root filesystem, parent image, build args).
STANDIN = f"{LAB_NAME}/odoo-standin"
IMAGES = {
    f"{LAB_NAME}/debian:{SUITE}": (None, None, {}),
    f"{LAB_NAME}/systemd:{SUITE}": ("systemd", f"{LAB_NAME}/debian:{SUITE}", {}),
    f"{LAB_NAME}/dind:{SUITE}": ("dind", f"{LAB_NAME}/systemd:{SUITE}", {}),
    f"{LAB_NAME}/aptcache:{SUITE}": ("aptcache", f"{LAB_NAME}/debian:{SUITE}", {}),
    # The Odoo stand-in (LAB ONLY): two 17.0 releases for upgrades, one whose registry cannot load (its
    # /web/health stays green, as Odoo's does), an 18.0 release (uid 100 like the official 18.0 image),
    # and one whose user has no passwd entry (Odoo dies at start: the platform must refuse it).
    f"{STANDIN}:17.0-lab.1": ("odoo-standin", f"{LAB_NAME}/debian:{SUITE}", {"STANDIN_RELEASE": "17.0.1"}),
    f"{STANDIN}:17.0-lab.2": ("odoo-standin", f"{LAB_NAME}/debian:{SUITE}", {"STANDIN_RELEASE": "17.0.2"}),
    f"{STANDIN}:17.0-lab.broken": (
        "odoo-standin", f"{LAB_NAME}/debian:{SUITE}", {"STANDIN_RELEASE": "17.0.3", "STANDIN_BROKEN": "1"}),
    f"{STANDIN}:18.0-lab.1": (
        "odoo-standin", f"{LAB_NAME}/debian:{SUITE}", {"STANDIN_RELEASE": "18.0.1", "STANDIN_UID": "100", "STANDIN_GID": "101"}),
    f"{STANDIN}:17.0-lab.nouser": ("odoo-standin", f"{LAB_NAME}/debian:{SUITE}", {"STANDIN_RELEASE": "17.0.1", "STANDIN_USER": "4242"}),
}
# The stand-in's tags in one archive, which the odoo role loads on app hosts (no registry here).
STANDIN_ARCHIVE_NAME = "odoo-standin.tar"
DEBOOTSTRAP_ARGS = ["--variant=minbase", "--include=ca-certificates"]


class LabError(Exception):
    """A failure the operator can fix; the message says how."""


def log(msg):
    print(f"lab: {msg}", file=sys.stderr, flush=True)


def run(cmd, check=True, capture=False, **kwargs):
    if capture:
        kwargs.setdefault("stdout", subprocess.PIPE)
        kwargs.setdefault("stderr", subprocess.PIPE)
        kwargs.setdefault("text", True)
    proc = subprocess.run(cmd, check=False, **kwargs)  # pylint: disable=subprocess-run-check
    if check and proc.returncode != 0:
        detail = (proc.stderr or "").strip() if capture else ""
        raise LabError(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{detail}".rstrip())
    return proc


def cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("ODOO_SAAS_LAB_CACHE", Path(base) / LAB_NAME))


# ---------------------------------------------------------------- engine


def read_os_release(path="/etc/os-release"):
    values = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return values
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip().strip('"')
    return values


def is_debian_like(os_release):
    ids = {os_release.get("ID", "")} | set(os_release.get("ID_LIKE", "").split())
    return bool(ids & {"debian", "ubuntu"})


def engine_answers():
    if shutil.which("docker") is None:
        return False
    try:
        proc = run(["docker", "info", "--format", "{{.ServerVersion}}"], check=False, capture=True, timeout=30)
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0


def privileged(cmd):
    if os.geteuid() == 0:
        return cmd
    if shutil.which("sudo"):
        return ["sudo", *cmd]
    raise LabError("installing and starting Docker needs root: rerun as root or with sudo available")


def apt_install(*packages):
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(privileged(["apt-get", "update", "-q"]), env=env, capture=True)
    run(privileged(["apt-get", "install", "-y", "-q", *packages]), env=env, capture=True)


def ensure_engine(os_release_path="/etc/os-release"):
    if engine_answers():
        return
    os_release = read_os_release(os_release_path)
    if not is_debian_like(os_release):
        raise LabError(
            f"no Docker engine answers and this host is {os_release.get('PRETTY_NAME', 'not Debian/Ubuntu')}: "
            "the lab only installs Docker itself on Debian or Ubuntu. Install and start Docker Engine "
            "for your system (https://docs.docker.com/engine/install/), check that `docker info` answers, then rerun."
        )
    if shutil.which("dockerd") is None:
        log("installing Debian's docker.io")
        apt_install("docker.io")
    if Path("/run/systemd/system").is_dir():
        log("starting docker.service")
        run(privileged(["systemctl", "enable", "--now", "docker.service"]))
    else:
        log(f"PID 1 is not systemd: starting dockerd in the background, log in {DOCKERD_LOG}")
        with open(DOCKERD_LOG, "ab") as out:
            subprocess.Popen(  # pylint: disable=consider-using-with
                privileged(["dockerd"]), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
    deadline = time.monotonic() + ENGINE_WAIT_SECONDS
    while time.monotonic() < deadline:
        if engine_answers():
            return
        time.sleep(1)
    raise LabError(f"dockerd did not answer within {ENGINE_WAIT_SECONDS} s; read {DOCKERD_LOG}")


# ---------------------------------------------------------------- images


def debian_mirror():
    """The Debian mirror the host already uses, so the lab needs no extra network access."""
    if os.environ.get("ODOO_SAAS_LAB_MIRROR"):
        return os.environ["ODOO_SAAS_LAB_MIRROR"].rstrip("/")
    for path in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        mirror = mirror_from_deb822(path.read_text(encoding="utf-8"))
        if mirror:
            return mirror
    try:
        mirror = mirror_from_one_line(Path("/etc/apt/sources.list").read_text(encoding="utf-8"))
    except OSError:
        mirror = None
    if mirror:
        return mirror
    raise LabError("cannot find a Debian mirror in the host's apt sources: set ODOO_SAAS_LAB_MIRROR to one")


def mirror_from_deb822(text):
    for stanza in re.split(r"\n\s*\n", text):
        fields = {}
        for line in stanza.splitlines():
            key, sep, value = line.partition(":")
            if sep and not key.startswith("#"):
                fields[key.strip()] = value.strip()
        suites = fields.get("Suites", "").split()
        if SUITE in suites and fields.get("Types", "deb").split()[0] == "deb":
            for uri in fields.get("URIs", "").split():
                if uri.rstrip("/").endswith("/debian"):
                    return uri.rstrip("/")
    return None


def mirror_from_one_line(text):
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "deb" and parts[2] == SUITE and parts[1].rstrip("/").endswith("/debian"):
            return parts[1].rstrip("/")
    return None


def definition_hash(name, mirror):
    """What an image is built from; a changed definition means a rebuild."""
    build_dir, parent, build_args = IMAGES[name]
    digest = hashlib.sha256()
    digest.update(json.dumps(build_args, sort_keys=True).encode())
    if build_dir is None:
        digest.update(" ".join([SUITE, mirror, *DEBOOTSTRAP_ARGS]).encode())
    else:
        for path in sorted((IMAGES_DIR / build_dir).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(IMAGES_DIR).as_posix().encode())
                digest.update(path.read_bytes())
        digest.update(definition_hash(parent, mirror).encode())
    return digest.hexdigest()[:16]


def image_definition(name):
    proc = run(
        ["docker", "image", "inspect", "--format", f'{{{{ index .Config.Labels "{DEFINITION_LABEL}" }}}}', name],
        check=False,
        capture=True,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def build_rootfs(name, wanted, mirror):
    if shutil.which("debootstrap") is None:
        log("installing debootstrap")
        apt_install("debootstrap")
    debs = cache_dir() / "debootstrap"
    debs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix="rootfs-") as rootfs:
        log(f"debootstrap {SUITE} from {mirror}")
        run(privileged(["debootstrap", *DEBOOTSTRAP_ARGS, f"--cache-dir={debs}", SUITE, rootfs, mirror]), capture=True)
        with subprocess.Popen(privileged(["tar", "-C", rootfs, "-c", "."]), stdout=subprocess.PIPE) as tar:
            run(["docker", "import", "--change", f"LABEL {DEFINITION_LABEL}={wanted}", "-", name], stdin=tar.stdout, capture=True)
        if tar.returncode != 0:
            raise LabError("packing the debootstrap root filesystem failed")
        run(privileged(["rm", "-rf", "--one-file-system", rootfs]))


def ensure_images():
    mirror = debian_mirror()
    built = False
    for name, (build_dir, parent, build_args) in IMAGES.items():
        wanted = definition_hash(name, mirror)
        if image_definition(name) == wanted:
            continue
        built = True
        log(f"building {name}")
        if build_dir is None:
            build_rootfs(name, wanted, mirror)
        else:
            run(
                [
                    "docker", "build", "--quiet", "--tag", name,
                    "--build-arg", f"BASE={parent}", "--label", f"{DEFINITION_LABEL}={wanted}",
                    *[arg for key, value in sorted(build_args.items()) for arg in ("--build-arg", f"{key}={value}")],
                    str(IMAGES_DIR / build_dir),
                ],
                capture=True,
                env=dict(os.environ, DOCKER_BUILDKIT="0"),
            )
    if built:  # the images a rebuild replaced
        run(["docker", "image", "prune", "--force", "--filter", f"label={DEFINITION_LABEL}"], capture=True)
    save_standin(rebuild=built)


def save_standin(rebuild):
    archive = cache_dir() / STANDIN_ARCHIVE_NAME
    if archive.exists() and not rebuild:
        return
    tags = [name for name in IMAGES if name.startswith(STANDIN + ":")]
    log(f"saving {', '.join(tags)} to {archive}")
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".partial")
    run(["docker", "save", "--output", str(partial), *tags], capture=True)
    partial.replace(archive)


# ---------------------------------------------------------------- lifecycle


def ansible_playbook(playbook, *extra, inventories=()):
    binary = VENV / "bin" / "ansible-playbook"
    if not binary.exists():
        binary = shutil.which("ansible-playbook")
        if binary is None:
            raise LabError("ansible-playbook not found: run `make venv` (or set ODOO_SAAS_VENV to a venv with requirements.txt)")
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"), PATH=f"{VENV / 'bin'}:{os.environ.get('PATH', '')}")
    sources = [arg for path in (INVENTORY, *inventories) for arg in ("-i", str(path))]
    proc = run([str(binary), *sources, str(PLAYBOOKS_DIR / playbook), *extra], check=False, cwd=REPO, env=env)
    if proc.returncode != 0:
        raise LabError(f"{playbook} failed; the output above says why")


def lab_containers():
    if not engine_answers():
        return []
    ids = run(["docker", "ps", "-aq", "--filter", f"label={LAB_LABEL}={LAB_NAME}"], capture=True).stdout.split()
    if not ids:
        return []
    return json.loads(run(["docker", "inspect", *ids], capture=True).stdout)


def describe(container):
    networks = container["NetworkSettings"]["Networks"]
    labels = container["Config"]["Labels"] or {}
    return {
        "name": container["Name"].lstrip("/"),
        "state": container["State"]["Status"],
        "image": container["Config"]["Image"],
        "groups": [g for g in labels.get("odoo_saas.lab.groups", "").split(",") if g and g != "lab"],
        "networks": {net: cfg.get("IPAddress") for net, cfg in sorted(networks.items())},
        "endpoints": json.loads(labels.get("odoo_saas.lab.endpoints", "[]")),
        "address": next((cfg.get("IPAddress") for net, cfg in sorted(networks.items()) if cfg.get("IPAddress")), None),
    }


def inventory_hostvars():
    binary = VENV / "bin" / "ansible-inventory"
    if not binary.exists():
        return {}
    env = dict(os.environ, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"))
    proc = run([str(binary), "-i", str(INVENTORY), "--list"], check=False, capture=True, cwd=REPO, env=env)
    if proc.returncode != 0:
        raise LabError(f"the lab inventory does not parse:\n{proc.stderr.strip()}")
    return json.loads(proc.stdout).get("_meta", {}).get("hostvars", {})


def endpoints(hosts, hostvars):
    """Service endpoints: `lab_endpoints` of the lab inventory, and those lab containers carry as a label."""
    found = []
    for host in hosts:
        hvars = hostvars.get(host["name"], {})
        declared = [e for key in sorted(hvars) if key.startswith("lab_endpoints") for e in hvars[key]] + host.pop("endpoints")
        for endpoint in declared:
            address = host["address"]
            entry = dict(endpoint, host=host["name"], address=address)
            if address and "port" in endpoint:
                scheme = endpoint.get("scheme", "tcp")
                entry["url"] = f"{scheme}://{address}:{endpoint['port']}{endpoint.get('path', '')}"
            found.append(entry)
    return found


def lab_info():
    hosts = [describe(c) for c in lab_containers()]
    hosts.sort(key=lambda h: h["name"])
    return {
        "lab": LAB_NAME,
        "engine": engine_answers(),
        "hosts": hosts,
        "endpoints": endpoints(hosts, inventory_hostvars()) if hosts else [],
        "credentials": {
            "directory": str(SECRETS_DIR),
            "files": sorted(p.relative_to(SECRETS_DIR).as_posix() for p in SECRETS_DIR.rglob("*") if p.is_file())
            if SECRETS_DIR.is_dir()
            else [],
        },
    }


def print_info(as_json):
    info = lab_info()
    if as_json:
        print(json.dumps(info, indent=2))
        return
    if not info["hosts"]:
        print("the lab is down: run `lab/lab.py up` (or `make lab`)")
        return
    print_status(info["hosts"])
    if info["endpoints"]:
        print("\nendpoints:")
        for ep in info["endpoints"]:
            print(f"  {ep['name']:<24} {ep.get('url', ep['host'])}")
    print(f"\ncredentials: {info['credentials']['directory']}")


def print_status(hosts=None):
    hosts = hosts if hosts is not None else sorted((describe(c) for c in lab_containers()), key=lambda h: h["name"])
    if not hosts:
        print("no lab containers")
        return
    print(f"{'HOST':<16} {'STATE':<10} {'ADDRESS':<16} GROUPS")
    for host in hosts:
        print(f"{host['name']:<16} {host['state']:<10} {host['address'] or '-':<16} {','.join(host['groups'])}")


def prepare():
    ensure_engine()
    ensure_images()
    ansible_playbook("up.yml", "--tags", "network")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="lab", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["engine", "images", "prepare", "up", "status", "info", "down", "destroy"])
    parser.add_argument("--json", action="store_true", help="info: print one JSON object")
    parser.add_argument(
        "--inventory", action="append", default=[], type=Path, metavar="FILE",
        help="up: more lab hosts, from an inventory added to inventories/lab (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        if args.action == "engine":
            ensure_engine()
        elif args.action == "images":
            ensure_engine()
            ensure_images()
        elif args.action == "prepare":
            prepare()
        elif args.action == "up":
            for path in args.inventory:
                if not path.is_file():
                    raise LabError(f"no inventory file {path}")
            prepare()
            ansible_playbook("up.yml", inventories=args.inventory)
        elif args.action == "status":
            print_status()
        elif args.action == "info":
            print_info(args.json)
        elif args.action in ("down", "destroy"):
            if engine_answers():
                ansible_playbook("down.yml", "-e", f"lab_destroy={args.action == 'destroy'}")
            if args.action == "destroy" and SECRETS_DIR.is_dir():
                shutil.rmtree(SECRETS_DIR)
    except LabError as exc:
        print(f"lab {args.action}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
