package org.escadrille.server.storage;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a storage that cannot be used at start into Spring Boot's "APPLICATION FAILED TO START" report, without a stack trace of beans. */
class StorageFailureAnalyzer extends AbstractFailureAnalyzer<StorageUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StorageUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix the escadrille.storage.* settings (docs/storage.md), or use "
                + "escadrille.storage.kind=local.", cause);
    }
}
