"""The deployment files agree with the settings, and production settings pass `check --deploy`.

No Docker engine runs where the suite runs, so docker-compose.yml and the Dockerfile are
read as text and checked against what bureau/settings.py actually reads.
"""

import ast
import os
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ("web", "worker", "beat")
REQUIRED_ENV = {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOWED_HOSTS"}
ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_list"}


def settings_env_names(source=None):
    """Names of the environment variables bureau/settings.py reads through bureau.env."""
    tree = ast.parse(source if source is not None else (ROOT / "bureau" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ENV_HELPERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service):
    command = service.get("command")
    if command is None:
        return []
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):  # the "NAME=value" list form
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, with continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs


def dockerfile_cmd():
    cmds = [args for word, args in dockerfile_instructions() if word == "CMD"]
    assert cmds, "the Dockerfile has no CMD"
    return yaml.safe_load(cmds[-1])  # the exec (JSON) form is valid YAML


def test_settings_env_parser_finds_the_helpers():
    # The parser below must see the calls it is meant to see, or every check passes vacuously.
    assert settings_env_names('A = env_str("X")\nB = env_bool("Y", True)\nC = os.environ["Z"]') == {"X", "Y"}
    assert REQUIRED_ENV <= settings_env_names()


def test_compose_has_the_six_services(compose):
    assert {"proxy", "web", "worker", "beat", "db", "redis"} <= set(compose["services"])


def test_web_runs_gunicorn_on_the_wsgi_module(compose):
    command = command_of(compose["services"]["web"]) or dockerfile_cmd()
    assert command[:2] == ["gunicorn", "bureau.wsgi"], command
    assert settings.WSGI_APPLICATION == "bureau.wsgi.application"
    if "--config" in command:
        assert (ROOT / command[command.index("--config") + 1]).is_file()


def test_worker_and_beat_run_celery_for_the_bureau_app(compose):
    worker = command_of(compose["services"]["worker"])
    beat = command_of(compose["services"]["beat"])
    assert worker[:4] == ["celery", "-A", "bureau", "worker"], worker
    assert beat[:4] == ["celery", "-A", "bureau", "beat"], beat
    # Beat keeps its schedule in the database (django_celery_beat), as the settings say.
    scheduler = beat[beat.index("--scheduler") + 1] if "--scheduler" in beat else settings.CELERY_BEAT_SCHEDULER
    assert scheduler == settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert "django_celery_beat" in settings.INSTALLED_APPS
    import bureau

    assert bureau.celery_app.main == "bureau"  # what `-A bureau` loads


def test_report_pdfs_have_a_worker_of_their_own_recycled_by_memory(compose):
    """PDFs render on their own queue (bureau/pdf.py, reports/services.py): the compose file
    runs a worker for that queue alone, one render at a time, its children replaced by memory."""
    pdf = command_of(compose["services"]["worker-pdf"])
    assert pdf[:4] == ["celery", "-A", "bureau", "worker"], pdf
    assert pdf[pdf.index("-Q") + 1] == f"{settings.CELERY_TASK_DEFAULT_QUEUE}-pdf" == settings.PDF_QUEUE
    assert any(arg.startswith("--max-memory-per-child=") for arg in pdf), pdf
    assert "--concurrency=1" in pdf
    main = command_of(compose["services"]["worker"])
    assert "-Q" not in main or settings.PDF_QUEUE not in main[main.index("-Q") + 1]
    assert compose["services"]["worker-pdf"].get("build") == "."


def test_app_services_share_one_image_and_the_media_volume(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        assert services[name].get("build") == ".", f"{name} must run the image built from the Dockerfile"
    for name in ("web", "worker"):
        volumes = [str(v) for v in services[name].get("volumes", [])]
        assert any(v.endswith(":" + env_of(services[name])["DJANGO_MEDIA_ROOT"]) for v in volumes), (name, volumes)


def test_migrations_run_before_the_app_starts(compose):
    services = compose["services"]
    migrate = [name for name, svc in services.items() if {"manage.py", "migrate"} <= set(command_of(svc))]
    assert migrate, "no service runs manage.py migrate"
    for name in APP_SERVICES:
        deps = services[name].get("depends_on") or {}
        assert deps.get(migrate[0], {}).get("condition") == "service_completed_successfully", name
        assert deps.get("db", {}).get("condition") == "service_healthy", name


def test_datastores_persist(compose):
    services = compose["services"]
    redis_cmd = command_of(services["redis"])
    assert "--appendonly" in redis_cmd and redis_cmd[redis_cmd.index("--appendonly") + 1] == "yes", redis_cmd
    assert services["redis"]["image"].startswith("redis:7")
    assert services["db"]["image"].startswith("postgres:15")
    for name in ("db", "redis"):
        assert services[name].get("volumes"), f"{name} keeps its data in a volume"
        assert services[name].get("healthcheck"), f"{name} has a healthcheck"


def test_compose_environment_names_are_read_by_settings(compose):
    known = settings_env_names()
    for name in APP_SERVICES + tuple(n for n, s in compose["services"].items() if s.get("build") and n not in APP_SERVICES):
        env = env_of(compose["services"][name])
        unknown = set(env) - known
        assert not unknown, f"{name} sets {sorted(unknown)}, which bureau/settings.py never reads"
        if name in APP_SERVICES:
            missing = REQUIRED_ENV - set(env)
            assert not missing, f"{name} lacks {sorted(missing)}"


def test_compose_does_not_ship_a_secret(compose):
    for name in APP_SERVICES:
        value = str(env_of(compose["services"][name])["DJANGO_SECRET_KEY"])
        assert value.startswith("${DJANGO_SECRET_KEY:?"), f"{name}: the secret key must come from the environment"
        assert env_of(compose["services"][name]).get("DJANGO_DEBUG") in ("0", 0, False, "false")


def test_dockerfile_builds_the_production_image():
    instructions = dockerfile_instructions()
    words = [w for w, _ in instructions]
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm")
    runs = " ".join(args for w, args in instructions if w == "RUN")
    for package in ("fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package in runs, package
    assert "pip install -r requirements.txt" in runs
    assert "collectstatic" in runs
    # Runs as a non-root user: a USER after the last RUN, and not root.
    user = [args for w, args in instructions if w == "USER"]
    assert user and user[-1] not in ("root", "0"), user
    assert max(i for i, w in enumerate(words) if w == "USER") > max(i for i, w in enumerate(words) if w == "RUN")
    assert dockerfile_cmd()[:2] == ["gunicorn", "bureau.wsgi"]
    config = dockerfile_cmd()[dockerfile_cmd().index("--config") + 1]
    conf = runpy.run_path(str(ROOT / config))
    assert conf["bind"].endswith(":8000") and conf["workers"] >= 1


def test_dockerignore_keeps_what_the_image_needs():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()}
    assert {".git", ".venv", "var"} <= ignored
    for needed in ("manage.py", "bureau", "requirements.txt", "gunicorn.conf.py", "templates", "static", "locale"):
        assert needed not in ignored, needed


def _check_deploy(tmp_path, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bureau.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k7Fq-production-like-secret-" + "Zx9!pQ2@wL5#" * 4,
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://portal.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_catches_debug_on(tmp_path):
    # The same command must fail on a bad configuration, or the test above proves nothing.
    result = _check_deploy(tmp_path, DJANGO_DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


# ---- the reverse proxy (issue 13, "Deployment edges") -----------------------------------------

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
PROXY = "proxy"


def nginx_directives():
    """(directive, arguments) of deploy/nginx.conf, comments left out."""
    text = "\n".join(line.split("#", 1)[0] for line in NGINX_CONF.read_text().splitlines())
    return [tuple(shlex.split(part.strip().rsplit("{", 1)[-1].strip())) for part in text.split(";") if part.strip()]


def nginx_value(name):
    values = [args[1:] for args in nginx_directives() if args and args[0] == name]
    assert len(values) == 1, (name, values)
    return values[0]


def nginx_headers():
    return {args[1].lower(): args[2] if len(args) > 2 else "" for args in nginx_directives()
            if args and args[0] == "proxy_set_header"}


def test_only_the_proxy_publishes_a_port(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {PROXY}, published
    ports = [str(port) for port in compose["services"][PROXY]["ports"]]
    assert [port.rsplit(":", 1)[-1] for port in ports] == ["80", "443"], ports


def test_the_proxy_is_nginx_with_the_repositorys_config(compose):
    proxy = compose["services"][PROXY]
    assert proxy["image"].startswith("nginx:")
    volumes = [str(v) for v in proxy["volumes"]]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in volumes
    assert any(v.startswith("./deploy/tls:") and v.endswith(":ro") for v in volumes)
    assert "web" in proxy["depends_on"]
    # It reaches gunicorn where gunicorn listens.
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert nginx_value("server") == ("web:" + conf["bind"].rsplit(":", 1)[-1],)
    assert nginx_value("proxy_pass") == ("http://bureau_web",)


def test_only_the_proxy_is_trusted(compose, monkeypatch):
    services = compose["services"]
    proxy_address = services[PROXY]["networks"]["edge"]["ipv4_address"]
    assert set(services["web"]["networks"]) == {"default", "edge"}
    for name in APP_SERVICES:
        assert env_of(services[name])["DJANGO_TRUSTED_PROXIES"] == proxy_address, name
    # gunicorn believes the same addresses, from the same variable; never every address.
    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", proxy_address)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["forwarded_allow_ips"] == proxy_address
    monkeypatch.delenv("DJANGO_TRUSTED_PROXIES")
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["forwarded_allow_ips"] == ",".join(settings.TRUSTED_PROXIES) == "127.0.0.1,::1"
    assert conf["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}


def test_the_proxy_writes_the_forwarding_headers():
    headers = nginx_headers()
    assert headers["host"] == "$host"
    # Replaced, not appended ($proxy_add_x_forwarded_for would keep what the client sent).
    assert headers["x-forwarded-for"] == "$remote_addr"
    assert headers["x-forwarded-proto"] == "$scheme"
    for dropped in ("x-forwarded-host", "x-forwarded-ssl", "x-forwarded-protocol", "x-real-ip", "forwarded"):
        assert headers[dropped] == "", dropped


def test_the_proxy_takes_an_import_but_not_much_more():
    (size,) = nginx_value("client_max_body_size")
    number, unit = int(size.rstrip("kKmMgG")), size[-1].lower()
    limit = number * {"k": 1024, "m": 1024**2, "g": 1024**3}.get(unit, 1)
    assert settings.IMPORT_MAX_UPLOAD_BYTES < limit <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # An evidence file and the form around it pass the proxy too (bureau/uploads.py refuses more).
    assert settings.UPLOAD_MAX_BYTES < limit


def test_the_tls_key_stays_out_of_the_image_and_the_repository():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()}
    assert "deploy/tls" in ignored
    assert (ROOT / "deploy" / "tls" / ".gitignore").read_text().splitlines()[-2:] == ["*", "!.gitignore"]


def test_readme_lists_every_setting():
    # The Configuration table is where an operator looks: a variable the settings read and the
    # table does not list is a knob nobody knows of.
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in settings_env_names() if f"| `{name}` |" not in readme)
    assert not missing, f"README.md's Configuration table lacks {missing}"


def demo_environment():
    """The variables bin/demo exports for its debug-off run: `export NAME="${NAME:-value}"`."""
    text = (ROOT / "bin" / "demo").read_text()
    return dict(re.findall(r'export (\w+)="\$\{\1:-([^}]*)\}"', text))


def test_the_demo_runs_with_the_portals_error_pages_over_plain_http(monkeypatch):
    demo = demo_environment()
    assert demo["DJANGO_DEBUG"] == "0"  # Django shows its debug pages whenever DEBUG is on
    for name in [n for n in os.environ if n.startswith(("DJANGO_", "DATABASE_"))]:
        monkeypatch.delenv(name)
    for name, value in demo.items():
        monkeypatch.setenv(name, value.replace("$HOST", "127.0.0.1"))
    monkeypatch.setenv("DJANGO_SECRET_KEY", "made-once-by-bin-demo-" + "x" * 40)
    demo_settings = runpy.run_path(str(ROOT / "bureau" / "settings.py"))
    assert demo_settings["DEBUG"] is False
    # Plain http on this machine: no redirect, no HSTS, cookies the browser sends back over http.
    assert demo_settings["SECURE_SSL_REDIRECT"] is False and demo_settings["SECURE_HSTS_SECONDS"] == 0
    assert demo_settings["SESSION_COOKIE_SECURE"] is False and demo_settings["CSRF_COOKIE_SECURE"] is False
    assert {"localhost", "127.0.0.1"} <= set(demo_settings["ALLOWED_HOSTS"])
    # Static files as in production: collected (bin/demo runs collectstatic) and served by WhiteNoise.
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in demo_settings["MIDDLEWARE"]
    assert demo_settings["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")
    assert "collectstatic" in (ROOT / "bin" / "demo").read_text()
