package org.escadrille.cli.api;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A file's bytes as a request body of known length (so the server gets a Content-Length, not a
 * chunked stream), reporting each buffer as the client takes it, which is what an upload bar needs.
 */
final class CountingBodyPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher file;
    private final LongConsumer sent;

    CountingBodyPublisher(Path path, LongConsumer sent) throws FileNotFoundException {
        this.file = HttpRequest.BodyPublishers.ofFile(path);
        this.sent = sent;
    }

    @Override
    public long contentLength() {
        return file.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        file.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                sent.accept(item.remaining());
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
