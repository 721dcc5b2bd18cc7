package org.escadrille.server.api.rest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says in plain words what is wrong with a JSON body: which field, and what it should be. Jackson's own
 * messages name Java types ("Cannot deserialize value of type `java.util.LinkedHashMap<...>`"), which
 * tell a caller nothing they can act on and tell an attacker what the server is made of.
 */
final class JsonBodyProblems {
    private JsonBodyProblems() {
    }

    /** What to fix, for the first Jackson error among the causes; a general sentence when there is none. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return describe(jackson);
            }
        }
        return "the body is not the JSON expected here";
    }

    private static String describe(JacksonException e) {
        String field = field(e);
        String where = field.isEmpty() ? "" : "'" + field + "' ";
        return switch (e) {
            case UnrecognizedPropertyException unknown -> "the body is not the JSON expected here: there is no field '"
                    + unknown.getPropertyName() + "'" + (parent(field).isEmpty() ? "" : " in '" + parent(field) + "'");
            case InvalidNullException ignored -> "the body is not the JSON expected here: " + where + "needs a value, not null";
            case InvalidFormatException format -> "the body is not the JSON expected here: " + where + "cannot be '"
                    + format.getValue() + "'; it must be " + kind(format.getTargetType());
            case MismatchedInputException mismatch -> "the body is not the JSON expected here: "
                    + (field.isEmpty() ? "the whole body" : where.strip()) + " must be " + kind(mismatch.getTargetType());
            case StreamReadException read -> "the body is not the JSON expected here: it is not valid JSON"
                    + (read.getLocation() == null || read.getLocation().getLineNr() < 1 ? ""
                            : " (line " + read.getLocation().getLineNr() + ", column " + read.getLocation().getColumnNr() + ")");
            default -> "the body is not the JSON expected here" + (field.isEmpty() ? "" : ": look at '" + field + "'");
        };
    }

    /** The path of the field in error, as a caller writes it: {@code inputs.events}, {@code files[2]}. */
    private static String field(JacksonException e) {
        var path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parent(String field) {
        int dot = field.lastIndexOf('.');
        return dot < 0 ? "" : field.substring(0, dot);
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == Character.class || type == char.class) {
            return "a string (text in double quotes)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == Short.class
                || type == short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class || type == BigDecimal.class) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> "'" + ((Enum<?>) c).name().toLowerCase() + "'")
                    .collect(Collectors.joining(", "));
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a date and time such as \"2030-01-31T12:00:00Z\"";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list ([...])";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object ({...})";
        }
        return "another kind of value";
    }
}
