package org.escadrille.server.portal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.escadrille.server.InvalidRequestException.FieldProblem;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A refused descriptor as its author reads it again: its lines, each with the validator's problems
 * about the field it holds, so that a problem sits next to what it concerns. Problems name their field
 * as a JSON pointer ({@code /inputs/0/type}, the schema's) or a dotted path ({@code container-image.image},
 * ours); a problem whose field is not in the text (a missing one) goes to its nearest enclosing field, and
 * one about the whole descriptor (or text that is not JSON) stays above the lines.
 */
record DescriptorReview(List<Line> lines, List<FieldProblem> general) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One line of the descriptor, numbered from 1, with the problems of the fields that start on it. */
    record Line(int number, String text, List<FieldProblem> problems) {
    }

    static DescriptorReview of(String descriptor, List<FieldProblem> problems) {
        Map<String, Integer> starts = fieldLines(descriptor);
        var byLine = new HashMap<Integer, List<FieldProblem>>();
        var general = new ArrayList<FieldProblem>();
        for (FieldProblem problem : problems) {
            Integer line = lineOf(pointer(problem.field()), starts);
            if (line == null) {
                general.add(problem);
            } else {
                byLine.computeIfAbsent(line, n -> new ArrayList<>()).add(problem);
            }
        }
        var lines = new ArrayList<Line>();
        String[] texts = descriptor.split("\r?\n", -1);
        for (int i = 0; i < texts.length; i++) {
            lines.add(new Line(i + 1, texts[i], byLine.getOrDefault(i + 1, List.of())));
        }
        return new DescriptorReview(lines, general);
    }

    /** Whether a line-by-line view helps: a descriptor pasted on one line says nothing more than the list. */
    public boolean multiline() {
        return lines.size() > 1;
    }

    /** The field's line, or its nearest enclosing field's; null for the whole descriptor. */
    private static Integer lineOf(String pointer, Map<String, Integer> starts) {
        for (String at = pointer; !at.isEmpty(); at = at.substring(0, at.lastIndexOf('/'))) {
            Integer line = starts.get(at);
            if (line != null) {
                return line;
            }
        }
        return null;
    }

    /** {@code container-image.image} or {@code custom.x[0]} as a JSON pointer; a pointer stays; "descriptor" is the whole. */
    static String pointer(String field) {
        if (field == null || field.isEmpty() || field.equals("descriptor")) {
            return "";
        }
        if (field.startsWith("/")) {
            return field;
        }
        return "/" + field.replaceAll("\\[(\\d+)]", ".$1").replace("~", "~0").replace("/", "~1").replace('.', '/');
    }

    /** Where each field of the JSON text starts (its pointer to its line); as far as the text is JSON. */
    static Map<String, Integer> fieldLines(String json) {
        var lines = new LinkedHashMap<String, Integer>();
        Deque<Frame> open = new ArrayDeque<>();
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int line = parser.currentTokenLocation().getLineNr();
                if (token == JsonToken.PROPERTY_NAME) {
                    open.peek().name = parser.currentName();
                    lines.putIfAbsent(pointerOf(open), line);
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    open.pop();
                } else {
                    if (!open.isEmpty() && open.peek().array) {
                        open.peek().index++;
                        lines.putIfAbsent(pointerOf(open), line);
                    }
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                        open.push(new Frame(token == JsonToken.START_ARRAY));
                    }
                }
            }
        } catch (JacksonException e) {
            // Not JSON from here on: the fields before it keep their lines, the parser's message says the rest.
        }
        return lines;
    }

    private static String pointerOf(Deque<Frame> open) {
        var pointer = new StringBuilder();
        for (Iterator<Frame> outerFirst = open.descendingIterator(); outerFirst.hasNext(); ) {
            Frame frame = outerFirst.next();
            pointer.append('/').append(frame.array ? Integer.toString(frame.index)
                    : frame.name.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    /** An object or array being read: the field or index within it that is read now. */
    private static final class Frame {
        final boolean array;
        int index = -1;
        String name = "";

        Frame(boolean array) {
            this.array = array;
        }
    }
}
