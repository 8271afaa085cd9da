#!/usr/bin/env python3
"""deca's benchmark, printed in one run (bench/run.sh sets it up).

1. The full Peru PDF set against the prebuilt Typst compiler (PyPI `typst`) run once per
   document deca emits (`deca build --emit typst`, compiled with the PDF standards it names),
   in CPU time, medians over interleaved runs; deca with warm caches (the first run warms them)
   and with none; the same by kind; and what compiling in worker processes costs.
2. Wall time (median, min, max) of the full build, a tailored brief with a warm page-map cache,
   and a one-finding edit under `deca watch` (save to the affected one-pager's new PDF), with
   the watch's resident memory over the edits.
3. Peak resident memory and CPU time of full builds of 1, 5 and 20 generated assessments
   (copies of Peru with bytes of their own), with deca's cache off.
4. With valgrind installed: instructions of the tailored brief against the prebuilt compiler
   compiling that brief alone.

CPU times include the worker processes deca starts (they are waited for). Resident memory is
sampled every 20 ms over the process and its descendants (their sum), besides the largest single
process the kernel reports.
"""

import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# Compiles as the emitted compile.sh does: the document's fonts, no system fonts, and the PDF
# standards deca claims (argv[4], comma-separated; empty for none).
PROG = (
    "import sys, typst; "
    "typst.compile(sys.argv[1], output=sys.argv[2], root='.', "
    "font_paths=['fonts', sys.argv[3]], ignore_system_fonts=True, "
    "pdf_standards=[s for s in sys.argv[4].split(',') if s] or None)"
)


def standards_of(doc):
    """The PDF standards the emitted compile.sh asks for, comma-separated."""
    with open(os.path.join(doc, "compile.sh")) as f:
        found = re.search(r"--pdf-standard (\S+)", f.read())
    return found.group(1) if found else ""


def descendants(pid):
    """The process and its descendants, from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss(pid):
    """Resident memory of a process tree, in MiB."""
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 2**20


class Run:
    """One command: wall seconds, CPU seconds (with waited-for descendants), peak memory."""

    def __init__(self, cmd, cwd=None, env=None, sample=False):
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        peak = [0.0]
        done = threading.Event()

        def sampler():
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss(proc.pid))
                time.sleep(0.02)

        thread = threading.Thread(target=sampler) if sample else None
        if thread:
            thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        if thread:
            thread.join()
        self.wall = time.perf_counter() - started
        self.cpu = usage.ru_utime + usage.ru_stime
        self.max_rss = usage.ru_maxrss / 1024
        self.tree_peak = peak[0]
        if proc.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")


def med(values):
    return statistics.median(values)


def spread(values, unit="s", digits=2):
    return (
        f"median {med(values):.{digits}f} {unit}, min {min(values):.{digits}f}, "
        f"max {max(values):.{digits}f}"
    )


def portfolio(tmp, n):
    """A folder of n copies of the Peru assessment, each with bytes of its own (a comment), so
    no copy reuses another's kept clean load: every assessment is parsed and checked."""
    folder = os.path.join(tmp, f"portfolio-{n}")
    for i in range(1, n + 1):
        copy = os.path.join(folder, f"c{i}")
        shutil.copytree(os.path.join(tmp, "peru"), copy)
        with open(os.path.join(copy, "assessment.yaml"), "a") as f:
            f.write(f"# portfolio {n}, copy {i}\n")
    return folder


def kind_of(name):
    return name.split("-")[0]


def compare_with_typst(args, tmp, env):
    """Section 1: deca's PDF set against the prebuilt compiler per emitted document."""
    peru = os.path.join(tmp, "peru")
    emit = os.path.join(tmp, "emit")
    Run([args.deca, "build", peru, "--format", "pdf", "--emit", "typst", emit, "--out",
         os.path.join(tmp, "emit-out"), "-q"], env=env)
    docs = sorted(os.path.dirname(p) for p in glob.glob(f"{emit}/*/*/*/compile.sh"))
    fonts = os.path.join(emit, "fonts")

    def typst_doc(d):
        name = os.path.basename(d)
        main = f"typst/{kind_of(name)}.typ"
        return Run([args.python, "-c", PROG, main, "out.pdf", fonts, standards_of(d)],
                   cwd=d).cpu

    baseline = med([Run([args.python, "-c", "import typst"]).cpu for _ in range(5)])
    kinds = ["report", "brief", "onepager", "overview"]
    deca_full, deca_cold, deca_in_process, deca_kind = [], [], [], {k: [] for k in kinds}
    typst_kind = {k: [] for k in kinds}
    out = os.path.join(tmp, "cmp-out")
    in_process = dict(env, DECA_IN_PROCESS="1")
    for r in range(args.runs + 1):
        full = Run([args.deca, "build", peru, "--format", "pdf", "--out", out, "-q"], env=env).cpu
        # No page-map or fit cache: what a first build, or a build with every input changed, costs.
        cold = Run([args.deca, "build", peru, "--format", "pdf", "--out", out + "-cold", "-q"],
                   env=dict(env, DECA_CACHE_DIR="off")).cpu
        here = Run([args.deca, "build", peru, "--format", "pdf", "--out", out + "-ip", "-q"],
                   env=in_process).cpu
        by_kind = {
            k: Run([args.deca, "build", peru, "--format", "pdf", "--kind", k, "--out",
                    f"{out}-{k}", "-q"], env=env).cpu
            for k in kinds
        }
        sums = {k: 0.0 for k in kinds}
        for d in docs:
            sums[kind_of(os.path.basename(d))] += max(typst_doc(d) - baseline, 0.0)
        if r == 0:
            continue  # warm-up: file cache, page-map cache
        deca_full.append(full)
        deca_cold.append(cold)
        deca_in_process.append(here)
        for k in kinds:
            deca_kind[k].append(by_kind[k])
            typst_kind[k].append(sums[k])
    typst_total = [sum(typst_kind[k][i] for k in kinds) for i in range(args.runs)]
    print(f"## 1. Peru PDF set ({len(docs)} documents) against prebuilt Typst "
          f"(PyPI typst, {args.runs} interleaved runs, CPU seconds, medians)")
    print(f"prebuilt Typst, once per document: {med(typst_total):.2f} s "
          f"(Python start-up of {baseline:.3f} s per document subtracted)")
    print(f"deca build --format pdf:           {med(deca_full):.2f} s "
          f"= {med(deca_full) / med(typst_total):.2f}x (warm page-map and fit caches)")
    print(f"  the same, DECA_CACHE_DIR=off:    {med(deca_cold):.2f} s "
          f"= {med(deca_cold) / med(typst_total):.2f}x")
    for k in kinds:
        print(f"  {k:<9} deca {med(deca_kind[k]):.2f} s, Typst {med(typst_kind[k]):.2f} s "
              f"= {med(deca_kind[k]) / max(med(typst_kind[k]), 1e-9):.2f}x")
    per_doc = (med(deca_full) - med(deca_in_process)) / len(docs) * 1000
    print(f"compiling in worker processes vs in process (DECA_IN_PROCESS=1): "
          f"{med(deca_full):.2f} s vs {med(deca_in_process):.2f} s CPU, "
          f"{per_doc:+.1f} ms per document")
    return docs, fonts, baseline


def walls(args, tmp, env):
    """Section 2: full build, tailored brief, watch edits."""
    peru = os.path.join(tmp, "peru")
    full, brief = [], []
    for r in range(args.runs + 1):
        f = Run([args.deca, "build", peru, "--out", os.path.join(tmp, "w-full"), "-q"], env=env)
        b = Run([args.deca, "build", peru, "--priority", "integrity", "--lang", "es", "--out",
                 os.path.join(tmp, "w-brief"), "-q"], env=env)
        if r:
            full.append(f.wall)
            brief.append(b.wall)
    print(f"\n## 2. Wall time ({args.runs} runs each, interleaved)")
    print(f"full build (PDF + DOCX, 60 documents): {spread(full)}")
    print(f"tailored brief, warm cache (--priority integrity --lang es): {spread(brief)}")
    watch(args, tmp, env)


def watch(args, tmp, env):
    data = os.path.join(tmp, "watched")
    shutil.copytree(os.path.join(tmp, "peru"), os.path.join(data, "peru"))
    out = os.path.join(tmp, "watch-out")
    proc = subprocess.Popen([args.deca, "watch", data, "--out", out, "-q"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    ready = threading.Condition()

    def reader():
        for line in proc.stdout:
            with ready:
                lines.append((time.perf_counter(), line.strip()))
                ready.notify_all()

    threading.Thread(target=reader, daemon=True).start()

    def next_status(after):
        with ready:
            while True:
                for t, line in lines:
                    if t >= after and line.startswith(("rebuilt ", "rebuild failed")):
                        lines.remove((t, line))
                        return t, line
                if not ready.wait(timeout=120):
                    sys.exit("watch printed no status line in 120 s")

    next_status(0)
    findings = os.path.join(data, "peru", "findings.yaml")
    text = open(findings).read()
    # The first finding's English title: one-pagers list the findings they answer.
    title = re.search(r"^    title:\n      en: (.*)$", text, re.M)
    onepager = os.path.join(out, "peru", "en", "onepager-rural-connectivity-models.pdf")
    to_artifact, to_status, rss, rebuilt = [], [], [], []
    for i in range(args.edits):
        new = title.group(1) + (" (draft)" if i % 2 == 0 else "")
        edited = text[: title.start(1)] + new + text[title.end(1):]
        before = os.stat(onepager).st_ino
        time.sleep(0.1)
        saved = time.perf_counter()
        with open(findings + ".tmp", "w") as f:
            f.write(edited)
        os.replace(findings + ".tmp", findings)
        while os.stat(onepager).st_ino == before:
            if time.perf_counter() - saved > 60:
                sys.exit("the one-pager was not rebuilt in 60 s")
            time.sleep(0.002)
        to_artifact.append(time.perf_counter() - saved)
        t, line = next_status(saved)
        to_status.append(t - saved)
        rebuilt.append(line)
        rss.append(tree_rss(proc.pid))
    proc.kill()
    proc.wait()
    print(f"watch, one-finding edit ({args.edits} edits): save to the one-pager's new PDF "
          f"{spread(to_artifact)}; save to the status line {spread(to_status)}")
    print(f"  status line: {rebuilt[-1]}")
    marks = sorted({0, 9, len(rss) // 2, len(rss) - 1} & set(range(len(rss))))
    print("  resident memory of watch and its workers after edit "
          + ", ".join(f"{i + 1}: {rss[i]:.0f} MiB" for i in marks))


def scale(args, tmp, env):
    """Section 3: peak memory and CPU of 1, 5 and 20 assessments."""
    print("\n## 3. Portfolios of generated assessments (full builds, PDF + DOCX, no cache)")
    # No cache: copies share documents, and cached page maps and fitted scales would let them
    # share work that distinct assessments cannot.
    off = dict(env, DECA_CACHE_DIR="off")
    base = None
    for n in args.portfolio:
        folder = portfolio(tmp, n)
        r = Run([args.deca, "build", folder, "--out", folder + "-out", "-q"], env=off,
                sample=True)
        base = base or r
        print(f"{n:>2} assessments: peak resident memory {r.tree_peak:.0f} MiB summed over "
              f"deca and its workers (largest process {r.max_rss:.0f} MiB), "
              f"CPU {r.cpu:.1f} s ({r.cpu / base.cpu:.1f}x one), wall {r.wall:.1f} s; "
              f"{r.tree_peak / base.tree_peak:.2f}x one assessment's memory")
        shutil.rmtree(folder)
        shutil.rmtree(folder + "-out")


def callgrind_ir(cmd, cwd, env, tmp):
    outdir = tempfile.mkdtemp(dir=tmp)
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--trace-children=yes",
         f"--callgrind-out-file={outdir}/cg.%p"] + cmd,
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    total = 0
    for path in glob.glob(f"{outdir}/cg.*"):
        with open(path) as f:
            for line in f:
                if line.startswith(("summary:", "totals:")):
                    total += int(line.split()[1])
                    break
    return total


def instructions(args, tmp, env, docs, fonts):
    """Section 4: instructions of a tailored brief, warm cache, against Typst alone."""
    if not shutil.which("valgrind"):
        print("\n## 4. Instructions: skipped (valgrind is not installed)")
        return
    peru = os.path.join(tmp, "peru")
    brief = next(d for d in docs if d.endswith("/es/brief-integrity"))
    deca = callgrind_ir([args.deca, "build", peru, "--priority", "integrity", "--lang", "es",
                         "--format", "pdf", "--out", os.path.join(tmp, "cg-out"), "-q"],
                        None, env, tmp)
    typst = callgrind_ir([args.python, "-c", PROG, "typst/brief.typ", "out.pdf", fonts,
                          standards_of(brief)], brief, None, tmp)
    python = callgrind_ir([args.python, "-c", "import typst"], None, None, tmp)
    print("\n## 4. Instructions (callgrind), tailored brief with a warm cache")
    print(f"deca build --priority integrity --lang es --format pdf: {deca / 1e9:.2f} G; "
          f"prebuilt Typst compiling that brief alone: {(typst - python) / 1e9:.2f} G "
          f"(Python start-up of {python / 1e9:.2f} G subtracted) = "
          f"{deca / max(typst - python, 1):.2f}x")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deca", required=True, help="the deca binary (a release build)")
    ap.add_argument("--python", required=True, help="a Python with the `typst` package")
    ap.add_argument("--data", default="data", help="the folder holding peru/")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edits", type=int, default=50)
    ap.add_argument("--portfolio", type=int, nargs="+", default=[1, 5, 20])
    ap.add_argument("--skip", nargs="*", default=[], choices=["typst", "wall", "scale", "ir"])
    args = ap.parse_args()
    args.deca = os.path.abspath(args.deca)
    tmp = tempfile.mkdtemp(prefix="deca-bench-")
    env = dict(os.environ, DECA_CACHE_DIR=os.path.join(tmp, "cache"), NO_COLOR="1")
    try:
        shutil.copytree(os.path.join(args.data, "peru"), os.path.join(tmp, "peru"))
        typst_version = subprocess.run(
            [args.python, "-c", "import importlib.metadata as m; print(m.version('typst'))"],
            capture_output=True, text=True).stdout.strip()
        print(f"# deca benchmark: {os.cpu_count()} cores, prebuilt Typst {typst_version}, "
              f"{args.deca}")
        docs, fonts = [], None
        if "typst" not in args.skip:
            docs, fonts, _ = compare_with_typst(args, tmp, env)
        if "wall" not in args.skip:
            walls(args, tmp, env)
        if "scale" not in args.skip:
            scale(args, tmp, env)
        if "ir" not in args.skip and docs:
            instructions(args, tmp, env, docs, fonts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
