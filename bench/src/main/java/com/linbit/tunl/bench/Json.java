package com.linbit.tunl.bench;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Just enough JSON for the report: maps, lists, records, strings, numbers (NaN as null), booleans. */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, "");
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, String indent) {
        if (value == null || value instanceof Double number && (number.isNaN() || number.isInfinite())) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            object(map.entrySet().iterator(), out, indent);
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            String separator = "";
            for (Object item : list) {
                out.append(separator);
                write(item, out, indent);
                separator = ", ";
            }
            out.append(']');
        } else if (value instanceof Record record) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    fields.put(component.getName(), component.getAccessor().invoke(record));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            object(fields.entrySet().iterator(), out, indent);
        } else {
            string(value.toString(), out);
        }
    }

    private static void object(Iterator<? extends Map.Entry<?, ?>> entries, StringBuilder out, String indent) {
        String inner = indent + "  ";
        out.append('{');
        String separator = "\n";
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            out.append(separator).append(inner);
            string(entry.getKey().toString(), out);
            out.append(": ");
            write(entry.getValue(), out, inner);
            separator = ",\n";
        }
        out.append('\n').append(indent).append('}');
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
