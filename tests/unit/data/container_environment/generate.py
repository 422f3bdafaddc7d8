#!/usr/bin/env python3
"""Regenerates the expected outputs of container_environment_test.cpp by running the
real my_init (phusion/baseimage-docker image/bin/my_init, not kept in this repository):

    python3 generate.py /path/to/my_init

For each case directory: `environ` (NUL-separated, the order my_init gets), `files`
(the directory before start) and, optionally, `script` (a startup script, run with the
case's scratch root as its working directory). my_init runs on a copy whose /etc paths
point into a scratch root, with --skip-runit --no-kill-all-on-exit (without it my_init
signals every process of the machine) and umask 022. Written: `expected.dir`,
`expected.sh`, `expected.json`.

The `files` formats: per file "NAME MODE LENGTH\\n", the LENGTH bytes, "\\n"."""
import os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = "/tmp/initd-container-environment-fixture"  # fixed: no path in the outputs varies


def read_files(blob):
    entries, at = [], 0
    while at < len(blob):
        end = blob.index(b"\n", at)
        name, mode, length = blob[at:end].split(b" ")
        start = end + 1
        entries.append((name, int(mode, 8), blob[start:start + int(length)]))
        at = start + int(length) + 1
    return entries


def dump_dir(path):
    out = b""
    for name in sorted(os.listdir(os.fsencode(path))):
        full = os.path.join(os.fsencode(path), name)
        with open(full, "rb") as f:
            content = f.read()
        mode = os.stat(full).st_mode & 0o7777
        out += b"%s %04o %d\n" % (name, mode, len(content)) + content + b"\n"
    return out


def run_case(my_init, case):
    src = os.path.join(HERE, case)
    shutil.rmtree(ROOT, ignore_errors=True)
    os.makedirs(ROOT + "/container_environment")
    os.makedirs(ROOT + "/my_init.d")
    for name, mode, content in read_files(open(os.path.join(src, "files"), "rb").read()):
        if name == b"../container_environment.sh":  # a dump that exists before start
            full = os.fsencode(ROOT) + b"/container_environment.sh"
        else:
            full = os.fsencode(ROOT) + b"/container_environment/" + name
        with open(full, "wb") as f:
            f.write(content)
        os.chmod(full, mode)
    if os.path.exists(os.path.join(src, "script")):
        shutil.copy(os.path.join(src, "script"), ROOT + "/my_init.d/10-script")
        os.chmod(ROOT + "/my_init.d/10-script", 0o755)
    text = open(my_init).read()
    for old, new in (("/etc/container_environment", ROOT + "/container_environment"),
                     ("/etc/my_init.d", ROOT + "/my_init.d"), ("/etc/rc.local", ROOT + "/rc.local")):
        text = text.replace(old, new)
    with open(ROOT + "/my_init", "w") as f:
        f.write(text)
    env = {}
    for entry in open(os.path.join(src, "environ"), "rb").read().split(b"\0"):
        if entry:
            name, _, value = entry.partition(b"=")
            env[name] = value
    os.umask(0o022)
    subprocess.run([sys.executable, "-u", ROOT + "/my_init", "--skip-runit", "--no-kill-all-on-exit",
                    "--", "/bin/true"], env=env, cwd=ROOT, check=True)
    with open(os.path.join(src, "expected.dir"), "wb") as f:
        f.write(dump_dir(ROOT + "/container_environment"))
    for suffix in ("sh", "json"):
        full = ROOT + "/container_environment." + suffix
        mode = os.stat(full).st_mode & 0o7777
        shutil.copy(full, os.path.join(src, "expected." + suffix))
        with open(os.path.join(src, "expected." + suffix + ".mode"), "w") as f:
            f.write("%04o\n" % mode)
    shutil.rmtree(ROOT)


for case in ("start", "after_script"):
    run_case(sys.argv[1], case)
