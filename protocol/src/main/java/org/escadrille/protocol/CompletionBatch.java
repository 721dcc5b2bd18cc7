package org.escadrille.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Several completions in one request: a pilot whose tasks are short reports them in batches, off
 * its slots' threads, so that a slot starts its next task without waiting for the server. The
 * server answers one {@link CompletionReceipt} per item, in the same order.
 */
public record CompletionBatch(List<Item> completions) {

    public CompletionBatch {
        completions = completions == null ? List.of() : List.copyOf(completions);
    }

    public record Item(String attemptId, Completion completion) {
        public Item {
            Objects.requireNonNull(attemptId, "attemptId");
            Objects.requireNonNull(completion, "completion");
        }
    }

    /** The receipts of a batch, in the order of its items. */
    public record Receipts(List<CompletionReceipt> receipts) {
        public Receipts {
            receipts = receipts == null ? List.of() : List.copyOf(receipts);
        }
    }
}
