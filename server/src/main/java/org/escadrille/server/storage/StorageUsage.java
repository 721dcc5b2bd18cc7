package org.escadrille.server.storage;

/** What a user's files take and what they may take: {@code quotaBytes} 0 is no limit. */
public record StorageUsage(long usedBytes, long quotaBytes) {

    public boolean limited() {
        return quotaBytes > 0;
    }

    /** The bytes that still fit (0 when the quota is passed already); {@link Long#MAX_VALUE} without a limit. */
    public long freeBytes() {
        return limited() ? Math.max(0, quotaBytes - usedBytes) : Long.MAX_VALUE;
    }
}
