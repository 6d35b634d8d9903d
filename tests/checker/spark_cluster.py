"""A local Spark standalone cluster for the tests: one master and two workers, each its own JVM.

Started from pyspark's own launcher (``pyspark/bin/spark-class``; the pip
package has no ``sbin/start-*.sh``), bound to 127.0.0.1 on free ports, with the
workers' scratch space in a temporary folder. The executors run this test's
Python with the ``checker`` package the test imports (PYTHONPATH), so what they
run is the code under test, and the only way it reaches them is what Spark
ships (pickled functions and broadcasts), as on a real cluster.

Every process is started in its own session and killed as a group in teardown
(SIGTERM, then SIGKILL), so the executor JVMs and Python workers the workers
started go too, also when startup or the test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import checker

HOST = "127.0.0.1"
WORKERS = 2
STARTUP_SECONDS = 90


@dataclass(frozen=True)
class Cluster:
    master: str  # spark://127.0.0.1:PORT
    ui: str  # the master's web UI, http://127.0.0.1:PORT
    logs: Path

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.ui}/json/", timeout=5) as answer:
            return json.load(answer)

    def alive(self) -> int:
        return sum(worker.get("state") == "ALIVE" for worker in self.state().get("workers", []))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def spark_class() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def environment() -> dict[str, str]:
    home = spark_class().parents[1]
    code = str(Path(checker.__file__).resolve().parents[1])  # the folder holding the checker under test
    path = os.pathsep.join(p for p in (code, os.environ.get("PYTHONPATH", "")) if p)
    quiet = f"-Dlog4j2.configurationFile={(Path(checker.__file__).parent / 'spark' / 'log4j2.properties').as_uri()}"
    return {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": HOST,
        "PYSPARK_PYTHON": sys.executable,
        "PYTHONPATH": path,
        "SPARK_DAEMON_JAVA_OPTS": quiet,
        "SPARK_DAEMON_MEMORY": "256m",
    }


def _tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def standalone(folder: Path, workers: int = WORKERS, memory: str = "1g") -> Iterator[Cluster]:
    """A master and ``workers`` workers (1 core and ``memory`` each), up and registered; killed on exit.

    bench/spark.py starts its clusters here too (1 and 2 workers)."""
    folder.mkdir(parents=True, exist_ok=True)
    port, ui = free_port(), free_port()
    cluster = Cluster(f"spark://{HOST}:{port}", f"http://{HOST}:{ui}", folder)
    env = environment()
    started: list[subprocess.Popen] = []

    def launch(name: str, *args: str) -> None:
        with open(folder / f"{name}.log", "wb") as log:
            started.append(
                subprocess.Popen(
                    [str(spark_class()), *args],
                    env=env,
                    cwd=folder,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: teardown kills the JVM and its children
                )
            )

    try:
        launch(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            HOST,
            "--port",
            str(port),
            "--webui-port",
            str(ui),
        )
        for n in range(workers):
            work = folder / f"worker-{n}"
            work.mkdir(exist_ok=True)
            launch(
                f"worker-{n}",
                "org.apache.spark.deploy.worker.Worker",
                cluster.master,
                "--host",
                HOST,
                "--cores",
                "1",
                "--memory",
                memory,
                "--webui-port",
                str(free_port()),
                "--work-dir",
                str(work),
            )
        _wait(cluster, started, workers)
        yield cluster
    finally:
        _kill(started)


def _wait(cluster: Cluster, started: list[subprocess.Popen], workers: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    alive = 0
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in started):
            break
        with contextlib.suppress(OSError, ValueError):
            alive = cluster.alive()
            if alive == workers:
                return
        time.sleep(0.5)
    logs = "\n".join(f"--- {log.name}\n{_tail(log)}" for log in sorted(cluster.logs.glob("*.log")))
    raise RuntimeError(f"the standalone cluster did not come up ({alive} of {workers} workers alive)\n{logs}")


def _kill(started: list[subprocess.Popen]) -> None:
    """SIGTERM each process group (workers first, so they stop their executors), then SIGKILL what is left."""
    for process in reversed(started):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in reversed(started):
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the group: executors and Python workers too
        process.wait()
