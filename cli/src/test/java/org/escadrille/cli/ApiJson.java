package org.escadrille.cli;

/** Native API documents for the fake gateway, shaped as {@code docs/native-api.md} describes them. */
final class ApiJson {
    private ApiJson() {
    }

    static String execution(String id, String status, int total, int succeeded, int running, String outputs) {
        return """
                {"id": "%s", "name": "pi-run", "app": "pi", "appVersion": "1.0", "digest": "abc", "owner": "admin",
                 "status": "%s", "createdAt": "2026-01-15T10:00:00Z", "startedAt": "2026-01-15T10:00:01Z",
                 "endedAt": %s, "inputs": {"events": "1000"}, "outputDir": "executions/%s",
                 "tasks": {"total": %d, "queued": %d, "running": %d, "succeeded": %d, "failed": 0, "cancelled": 0},
                 "cpuSeconds": 1.1, "wallSeconds": 3.2, "error": null, "outputs": %s}"""
                .formatted(id, status, terminal(status) ? "\"2026-01-15T10:00:03.200Z\"" : "null", id, total,
                        Math.max(0, total - succeeded - running), running, succeeded, outputs);
    }

    static String failedExecution(String id, String error) {
        return """
                {"id": "%s", "app": "pi", "status": "ExecutionFailed", "createdAt": "2026-01-15T10:00:00Z",
                 "endedAt": "2026-01-15T10:00:02Z", "outputDir": "executions/%s",
                 "tasks": {"total": 1, "queued": 0, "running": 0, "succeeded": 0, "failed": 1, "cancelled": 0},
                 "error": "%s", "outputs": []}""".formatted(id, id, error);
    }

    static String output(String path, long size, String sha256) {
        return """
                {"path": "%s", "size": %d, "sha256": "%s", "taskId": "t1"}""".formatted(path, size, sha256);
    }

    private static boolean terminal(String status) {
        return !status.equals("Running") && !status.equals("Initializing") && !status.equals("Ready");
    }
}
