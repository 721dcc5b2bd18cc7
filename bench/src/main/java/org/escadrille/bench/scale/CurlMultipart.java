package org.escadrille.bench.scale;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * A multipart upload to S3 with curl alone, as a person would script it: {@code POST ?uploads}, one {@code PUT}
 * of each part file ({@code ?partNumber=N&uploadId=ID}, a few at once, each part's ETag kept), then
 * {@code POST ?uploadId=ID} with the parts' list. The transfer bench's reference for the CLI's own multipart
 * upload: the same requests, from the least a client can be.
 */
final class CurlMultipart {
    private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]+)</UploadId>");

    private CurlMultipart() {
    }

    /** Cuts {@code input} into part files of {@code partBytes} (the last shorter) in {@code dir}, in order. */
    static List<Path> split(Path input, long partBytes, Path dir) throws IOException {
        var parts = new ArrayList<Path>();
        try (var in = FileChannel.open(input)) {
            long size = in.size();
            for (long position = 0; position < size; position += partBytes) {
                Path part = dir.resolve("part-" + (parts.size() + 1));
                try (var out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    long length = Math.min(partBytes, size - position);
                    for (long done = 0; done < length; ) {
                        done += in.transferTo(position + done, length - done, out);
                    }
                }
                parts.add(part);
            }
        }
        return parts;
    }

    /** Uploads the parts, {@code inFlight} at once, as one object at {@code url}. */
    static void upload(String url, List<Path> parts, int inFlight) throws Exception {
        var id = UPLOAD_ID.matcher(curl(List.of("-X", "POST", url + "?uploads=")));
        if (!id.find()) {
            throw new IllegalStateException("S3 started no multipart upload at " + url);
        }
        String uploadId = id.group(1);
        var etags = new ArrayList<Future<String>>();
        try (ExecutorService senders = Executors.newFixedThreadPool(inFlight)) {
            for (int number = 1; number <= parts.size(); number++) {
                String partUrl = url + "?partNumber=" + number + "&uploadId=" + uploadId;
                Path part = parts.get(number - 1);
                etags.add(senders.submit(() -> curl(List.of("-o", "/dev/null", "-w", "%header{etag}", "-T", part.toString(), partUrl))));
            }
        }
        var complete = new StringBuilder("<CompleteMultipartUpload>");
        for (int number = 1; number <= parts.size(); number++) {
            complete.append("<Part><PartNumber>").append(number).append("</PartNumber><ETag>")
                    .append(etags.get(number - 1).get().strip()).append("</ETag></Part>");
        }
        Path body = Files.writeString(parts.getFirst().resolveSibling("complete.xml"), complete.append("</CompleteMultipartUpload>"));
        curl(List.of("-X", "POST", "-H", "Content-Type: application/xml", "--data-binary", "@" + body, url + "?uploadId=" + uploadId));
    }

    /** Runs curl signed for the bench's S3 server; its output, or an exception if it failed. */
    private static String curl(List<String> arguments) throws IOException, InterruptedException {
        var command = new ArrayList<>(S3ProxyProcess.Curl.command());
        command.addAll(arguments);
        var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("curl " + String.join(" ", arguments) + " exited with " + process.exitValue());
        }
        return out;
    }
}
