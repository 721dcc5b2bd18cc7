package org.escadrille.pilot;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Recognises a command line that a POSIX shell would only split into words, so that the pilot can
 * start the program itself rather than through two shells, which dominate the cost of tiny tasks.
 * It is conservative: a character the shell could interpret, an assignment or a builtin in first
 * position, or a program the shell would not find, and the line is left to the shell.
 */
final class SimpleCommand {
    /** Words of characters no shell gives a meaning to, between blanks; no newline, no quote, no glob. */
    private static final Pattern PLAIN_WORDS =
            Pattern.compile("[ \t]*[A-Za-z0-9_\\-./,:=+@%]+(?:[ \t]+[A-Za-z0-9_\\-./,:=+@%]+)*[ \t]*");
    private static final Pattern BLANKS = Pattern.compile("[ \t]+");

    /**
     * Builtins and keywords (of dash, bash and ksh run as {@code sh}) whose meaning is the shell's
     * own: an executable of the same name, where there is one, would not do the same.
     */
    private static final Set<String> SHELL_ONLY = Set.of(
            ".", ":", "alias", "bg", "break", "builtin", "case", "cd", "command", "continue", "declare",
            "do", "done", "elif", "else", "enable", "esac", "eval", "exec", "exit", "export", "fc", "fg",
            "fi", "for", "function", "getopts", "hash", "if", "in", "jobs", "let", "local", "logout",
            "read", "readonly", "return", "select", "set", "shift", "source", "then", "time", "times",
            "trap", "type", "typeset", "ulimit", "umask", "unalias", "unset", "until", "wait", "while");

    private SimpleCommand() {
    }

    /** The words of the command line when a shell would do nothing but split it on blanks, else empty. */
    static Optional<List<String>> words(String commandLine) {
        if (!PLAIN_WORDS.matcher(commandLine).matches()) {
            return Optional.empty();
        }
        List<String> words = List.of(BLANKS.split(commandLine.strip()));
        String program = words.get(0);
        if (program.contains("=") || SHELL_ONLY.contains(program)) {
            return Optional.empty();
        }
        return Optional.of(words);
    }

    /**
     * The argument vector to execute without a shell: the {@link #words} of the command line with
     * the program replaced by the executable file the shell would run, found through the
     * environment's {@code PATH} (not the pilot's) or, for a name with a slash, from the working
     * directory. Empty when the shell must run the line, which includes a program it would not
     * find or could not execute, so that it reports that with its usual status (127, 126).
     */
    static Optional<List<String>> argv(String commandLine, Map<String, String> environment, Path workingDirectory) {
        return words(commandLine).flatMap(words -> executable(words.get(0), environment, workingDirectory)
                .map(program -> {
                    var argv = new ArrayList<>(words);
                    argv.set(0, program.toString());
                    return List.copyOf(argv);
                }));
    }

    private static Optional<Path> executable(String program, Map<String, String> environment, Path workingDirectory) {
        try {
            if (program.contains("/")) {
                return Optional.of(workingDirectory.resolve(program)).filter(SimpleCommand::isExecutableFile);
            }
            String path = environment.get("PATH");
            if (path == null) {
                // The shell would search its own default path.
                return Optional.empty();
            }
            for (String directory : path.split(":", -1)) {
                if (directory.isEmpty() || !Path.of(directory).isAbsolute()) {
                    // Searched relative to the shell's directory: not worth reproducing.
                    return Optional.empty();
                }
                Path candidate = Path.of(directory, program);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
