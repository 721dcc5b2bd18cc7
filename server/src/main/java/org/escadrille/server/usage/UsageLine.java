package org.escadrille.server.usage;

import java.util.List;

/**
 * What one user or one group used in a month: attempts that ended in it, their CPU-hours and wall
 * hours, and the bytes stored now ({@code members}: the group's users; the user alone for a user).
 */
public record UsageLine(String name, List<String> members, int attempts, double cpuHours, double wallHours,
                        long storageBytes) {
    public UsageLine {
        members = List.copyOf(members);
    }
}
