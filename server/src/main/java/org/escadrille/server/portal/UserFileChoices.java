package org.escadrille.server.portal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.escadrille.server.account.Account;
import org.escadrille.server.storage.UserFiles;
import org.escadrille.server.storage.UserPath;
import org.springframework.stereotype.Component;

/**
 * The files and folders a File input may name, offered in the launch form: the user's space, then their
 * groups' shared folders, walked breadth-first (shallow paths first), up to a bound so that a large space
 * keeps the page light.
 */
@Component
class UserFileChoices {
    static final int LIMIT = 1000;
    private final UserFiles files;

    UserFileChoices(UserFiles files) {
        this.files = files;
    }

    /** A path to offer, and whether it is a folder (a sweep over its files). */
    record Choice(String path, boolean folder) {
    public String label() {
            return folder ? "folder: one task per file in it" : "file";
        }
    }

    List<Choice> of(Account account) {
        var choices = new ArrayList<Choice>();
        var folders = new ArrayDeque<UserPath>();
        folders.add(UserPath.of(""));
        while (!folders.isEmpty() && choices.size() < LIMIT) {
            for (var entry : files.list(account, folders.poll())) {
                if (choices.size() >= LIMIT) {
                    break;
                }
                if (!entry.path().equals(UserFiles.GROUPS_FOLDER)) {
                    // the folder of groups holds only folders: no file of it to sweep over
                    choices.add(new Choice(entry.path(), entry.directory()));
                }
                if (entry.directory()) {
                    folders.add(UserPath.of(entry.path()));
                }
            }
        }
        return choices;
    }
}
