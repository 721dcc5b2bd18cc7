"""VIP's Python client, unchanged, against an Escadrille server: only its base URL and API key are set.

Run by VipClientEndToEndTest: python3 vip_client_session.py SERVER_URL API_KEY WORK_DIR USERNAME PASSWORD
with PYTHONPATH naming VIP's client sources. Any failure raises; the last line printed is VIP CLIENT OK.
"""
import hashlib
import sys
from pathlib import Path

server, api_key, work, username, password = sys.argv[1], sys.argv[2], Path(sys.argv[3]), sys.argv[4], sys.argv[5]

from vip_client.utils import vip

setattr(vip, "__PREFIX", server + "/rest/")  # the one change: where the platform is

from vip_client import VipSession


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


# A folder of inputs, a sweep of the built-in sha256sum over them, watched, downloaded, finished.
inputs = work / "inputs"
inputs.mkdir(parents=True)
contents = {"a.txt": b"alpha\n", "b.txt": b"beta\n"}
for name, content in contents.items():
    (inputs / name).write_bytes(content)

session = VipSession.init(api_key=api_key, session_name="escadrille-sweep", output_dir=work / "outputs")
session.upload_inputs(inputs)
session.launch_pipeline(pipeline_id="sha256sum/9.1", input_settings={"input": [inputs / "a.txt", inputs / "b.txt"]})
session.monitor_workflows(refresh_time=1)
session.download_outputs()

downloaded = {path.name: path.read_text() for path in (work / "outputs").rglob("*.sha256")}
expect(set(downloaded) == {"a.txt.sha256", "b.txt.sha256"}, f"both checksums downloaded: {downloaded}")
for name, content in contents.items():
    expect(downloaded[name + ".sha256"].startswith(hashlib.sha256(content).hexdigest()), f"the checksum of {name}")
workflow_id = next(iter(session.workflows))

# The utils functions, each returning what the client expects.
expect("sha256sum/9.1" in [p["identifier"] for p in vip.list_pipeline()], "list_pipeline lists sha256sum/9.1")
definition = vip.pipeline_def("sha256sum/9.1")
expect("input" in [p["name"] for p in definition["parameters"]], "pipeline_def names the input parameter")
info = vip.execution_info(workflow_id)
expect(info["status"] == "Finished", f"execution_info: {info}")
expect(len(info["returnedFiles"]["checksum"]) == 2, f"two returned files: {info['returnedFiles']}")
expect(isinstance(vip.get_exec_stdout(workflow_id), str), "get_exec_stdout gives text")
expect(isinstance(vip.get_exec_stderr(workflow_id), str), "get_exec_stderr gives text")
expect(len(vip.get_exec_results(workflow_id)) == 2, "get_exec_results gives both results")
expect(vip.count_executions() >= 1, "count_executions")
expect(workflow_id in [e["identifier"] for e in vip.list_executions()], "list_executions")
expect(vip.platform_info()["supportedAPIVersion"] == "0.3.1", "platform_info")

home = "/vip/Home/API/escadrille-sweep"
expect(vip.exists(home + "/INPUTS/a.txt"), "exists: an uploaded input")
expect(not vip.exists(home + "/INPUTS/none.txt"), "exists: nothing there")
expect({Path(d["path"]).name for d in vip.list_directory(home)} == {"INPUTS", "OUTPUTS"}, "list_directory")
expect({Path(e["path"]).name for e in vip.list_elements(home + "/INPUTS")} == {"a.txt", "b.txt"}, "list_elements")
expect(vip.is_dir(home + "/INPUTS") and not vip.is_dir(home + "/INPUTS/a.txt"), "is_dir")
expect(vip.get_path_properties(home + "/INPUTS/a.txt")["size"] == 6, "get_path_properties")
expect(vip.create_dir("/vip/Home/scratch"), "create_dir")
expect(vip.upload(str(inputs / "a.txt"), "/vip/Home/scratch/copy.txt"), "upload")
expect(vip.download("/vip/Home/scratch/copy.txt", str(work / "copy.txt")), "download")
expect((work / "copy.txt").read_bytes() == contents["a.txt"], "download gives the bytes uploaded")
expect(vip.delete_path("/vip/Home/scratch"), "delete_path")
expect(not vip.exists("/vip/Home/scratch"), "deleted")

# An execution killed: VIP's kill_execution deletes it (DELETE executions/{id}).
doomed = vip.init_exec("pi/1.3.0", "to-kill", {"events": "1000000000000"}, "/vip/Home")
expect(vip.execution_info(doomed)["status"] == "Running", "a launched execution is Running")
expect(vip.kill_execution(doomed, deleteFiles=True), "kill_execution")
try:
    vip.execution_info(doomed)
    raise AssertionError("a killed and deleted execution is gone")
except RuntimeError as gone:
    expect("40400" in str(gone), f"gone is VIP's error with its code: {gone}")

# Keys: a wrong one is told apart (VIP's 40101); a user name and password give a new one.
expect(vip.setApiKey("not-a-key") is False, "setApiKey refuses a wrong key")
expect(len(vip.get_apikey(username, password)) > 20, "get_apikey")

session.finish(timeout=30)
expect(not vip.exists(home), "finish removed the session's data")
expect(session.workflows[workflow_id]["status"] == "Removed", "finish marks the workflow removed")
print("VIP CLIENT OK")
