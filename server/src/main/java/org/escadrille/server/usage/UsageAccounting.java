package org.escadrille.server.usage;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.escadrille.server.account.Account;
import org.escadrille.server.account.AccountService;
import org.escadrille.server.account.GroupMembership;
import org.escadrille.server.scheduling.TaskQueries;
import org.escadrille.server.storage.StorageQuotas;
import org.springframework.stereotype.Service;

/**
 * CPU-hours and storage per user and per group for a month (UTC). An attempt counts in the month it
 * ended in, for the owner of its execution: its CPU time as its pilot measured it, and its wall time
 * (a lost attempt's from its start to when it was found lost). Storage is the bytes stored when asked:
 * files have no history. A group's line is the sum of its members' lines (a user in two groups counts in
 * both).
 */
@Service
public class UsageAccounting {
    private final TaskQueries tasks;
    private final AccountService accounts;
    private final StorageQuotas storage;
    private final GroupMembership groups;

    UsageAccounting(TaskQueries tasks, AccountService accounts, StorageQuotas storage, GroupMembership groups) {
        this.tasks = tasks;
        this.accounts = accounts;
        this.storage = storage;
        this.groups = groups;
    }

    /** Every user's line for the month, by name. */
    public List<UsageLine> byUser(YearMonth month) {
        var byOwner = new HashMap<String, TaskQueries.OwnerUsage>();
        long from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        tasks.usageByOwner(from, to).forEach(usage -> byOwner.put(usage.ownerId(), usage));
        var lines = new ArrayList<UsageLine>();
        for (Account user : accounts.all()) {
            var used = byOwner.get(user.id());
            lines.add(new UsageLine(user.username(), List.of(user.username()), used == null ? 0 : used.attempts(),
                    used == null ? 0 : used.cpuSeconds() / 3600, used == null ? 0 : used.wallSeconds() / 3600,
                    storage.usage(user).usedBytes()));
        }
        lines.sort((a, b) -> a.name().compareTo(b.name()));
        return lines;
    }

    /** Every group's line for the month (the groups users belong to), by name. */
    public List<UsageLine> byGroup(YearMonth month) {
        var users = byUser(month);
        Map<String, UsageLine> byName = new HashMap<>();
        users.forEach(line -> byName.put(line.name(), line));
        var names = new TreeSet<String>();
        users.forEach(line -> names.addAll(groups.groupsOf(line.name())));
        var lines = new ArrayList<UsageLine>();
        for (String group : names) {
            var members = groups.membersOf(group);
            int attempts = 0;
            double cpuHours = 0;
            double wallHours = 0;
            long bytes = 0;
            for (String member : members) {
                var line = byName.get(member);
                if (line != null) {
                    attempts += line.attempts();
                    cpuHours += line.cpuHours();
                    wallHours += line.wallHours();
                    bytes += line.storageBytes();
                }
            }
            lines.add(new UsageLine(group, members, attempts, cpuHours, wallHours, bytes));
        }
        return lines;
    }
}
