"""Writes the transport-swap test's config: ONE channel definition (its
transformer and its destination's retry policy never change) with the source
and the destination chosen by name. This is the integrator's edit: only the
"source" and "destinations[0]" objects differ between the runs.

usage: channel.py SOURCE DEST WORK PLUGIN_DIR SOURCE_PORT SINK_PORT > cfg.json
"""
import json
import sys

source_kind, dest_kind, work, plugin_dir, source_port, sink_port = sys.argv[1:7]

sources = {
    "mllp": {"type": "mllp.listener", "config": {"host": "127.0.0.1", "port": int(source_port)}},
    "http": {"type": "http.listener",
             "config": {"host": "127.0.0.1", "port": int(source_port), "path": "/hl7"}},
    "file": {"type": "file.reader", "config": {"directory": f"{work}/in", "poll_interval_ms": 100}},
}
destinations = {
    "http": {"type": "http.sender",
             "config": {"url": f"http://127.0.0.1:{sink_port}/adt/${{MSH-10}}",
                        "content_type": "application/hl7-v2"}},
    "mllp": {"type": "mllp.sender", "config": {"host": "127.0.0.1", "port": int(sink_port)}},
    "file": {"type": "file.writer", "config": {"directory": f"{work}/out", "filename": "${MSH-10}.hl7"}},
    "webhook": {"type": "webhook.sender",
                "config": {"url": f"http://127.0.0.1:{sink_port}/hook", "secret": "${env:SWAP_SECRET}",
                           "hl7_as_json": False}},
}

channel = {
    "id": "adt",
    "source": sources[source_kind],
    # The channel's logic stays the same whatever the transports are.
    "transformers": [{"type": "hl7.transform",
                      "config": {"rules": [{"set": {"path": "MSH-5", "value": "FERRY"}}]}}],
    "destinations": [dict(id="out", retry={"max_attempts": 20, "backoff": "fixed", "initial_ms": 200},
                          **destinations[dest_kind])],
}
config = {
    "engine": {"data_dir": f"{work}/var", "plugin_dirs": [plugin_dir]},
    "plugins": ["mllp", "http", "file", "webhook", "hl7"],
    "channels": [channel],
}
json.dump(config, sys.stdout, indent=2)
