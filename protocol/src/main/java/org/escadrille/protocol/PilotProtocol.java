package org.escadrille.protocol;

/** Paths and headers of the pilot protocol, shared by the server's endpoints and the pilot's client. */
public final class PilotProtocol {
    /** The version segment: a breaking change of the records makes a new one. */
    public static final String BASE_PATH = "/api/pilot/v1";
    public static final String REGISTER = BASE_PATH + "/register";
    public static final String LEASE = BASE_PATH + "/lease";
    public static final String HEARTBEAT = BASE_PATH + "/heartbeat";
    public static final String BYE = BASE_PATH + "/bye";
    /** POST a {@link CompletionBatch}: several attempts' completions at once. */
    public static final String COMPLETIONS = BASE_PATH + "/completions";
    /** Followed by {@code /{attemptId}/...}: inputs, outputs, logs, completion. */
    public static final String ATTEMPTS = BASE_PATH + "/attempts";

    /** The environment variable through which a pilot receives its token (never on its command line). */
    public static final String TOKEN_ENV = "ESCADRILLE_PILOT_TOKEN";
    /** Pilots authenticate with {@code Authorization: Bearer <token>}. */
    public static final String AUTHORIZATION = "Authorization";

    private PilotProtocol() {
    }

    public static String inputPath(String attemptId, int index) {
        return ATTEMPTS + "/" + attemptId + "/inputs/" + index;
    }

    /** PUT the bytes of one output; {@code path} is relative to the task's working directory. */
    public static String outputPath(String attemptId) {
        return ATTEMPTS + "/" + attemptId + "/outputs";
    }

    /**
     * POST an {@link OutputUpload} (an output's path, size and SHA-256): the answer is an {@link UploadUrl}
     * where the pilot PUTs the file itself, straight to the storage; one without a URL means "through the server".
     */
    public static String directOutputPath(String attemptId) {
        return ATTEMPTS + "/" + attemptId + "/outputs/direct";
    }

    /**
     * POST an {@link OutputUpload} of an output too large for one PUT (S3: over 5 GiB): the answer is a
     * {@link MultipartPlan}; then {@code /part} with an {@link OutputPart} for each part's {@link UploadUrl},
     * and {@code /complete} with an {@link OutputPart} whose number is the count of parts.
     */
    public static String multipartOutputPath(String attemptId) {
        return ATTEMPTS + "/" + attemptId + "/outputs/multipart";
    }

    /** POST bytes appended to a log at a byte offset ({@code ?stream=stdout|stderr&offset=N}). */
    public static String logPath(String attemptId) {
        return ATTEMPTS + "/" + attemptId + "/log";
    }

    /**
     * PUT the bytes of one file of a Monte-Carlo task's checkpoint of {@code events} events;
     * {@code ?path=} is relative to the checkpoint's directory, as the outputs are to the working directory.
     */
    public static String checkpointPath(String attemptId, long events) {
        return ATTEMPTS + "/" + attemptId + "/checkpoints/" + events;
    }

    /**
     * POST an {@link OutputUpload} for one file of a checkpoint (its path relative to the checkpoint's
     * directory): the answer is an {@link UploadUrl}, as for {@link #directOutputPath}.
     */
    public static String directCheckpointPath(String attemptId, long events) {
        return checkpointPath(attemptId, events) + "/direct";
    }

    public static String completionPath(String attemptId) {
        return ATTEMPTS + "/" + attemptId + "/complete";
    }
}
