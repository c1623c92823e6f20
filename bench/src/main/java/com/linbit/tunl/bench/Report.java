package com.linbit.tunl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's rows as a Markdown table and, with every sample and the machine, as JSON. */
final class Report {

    private final Instant started = Instant.now();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final Map<String, Object> machine;
    private final String command;

    Report(Map<String, Object> machine, String command) {
        this.machine = machine;
        this.command = command;
    }

    Map<String, Object> section(String name) {
        Map<String, Object> section = new LinkedHashMap<>();
        details.put(name, section);
        return section;
    }

    void add(List<Row> scenarioRows) {
        rows.addAll(scenarioRows);
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| measurement | unit | tunl | OpenSSH | tunl/OpenSSH | target | met |\n");
        out.append("|---|---|---:|---:|---:|---|---|\n");
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", row.measurement(), row.unit(),
                    number(row.tunl()), number(row.openssh()), row.ratio() > 0 ? number(row.ratio()) + "×" : "",
                    row.target(), row.met() == null ? "" : row.met() ? "yes" : "**no**"));
        }
        out.append("\nMachine: ").append(machine.get("summary")).append("  \nCommand: `").append(command)
                .append("`  \nStarted: ").append(started).append('\n');
        return out.toString();
    }

    /** Writes {@code <out>/tunl-bench-<time>.md} and {@code .json}; returns the Markdown file. */
    Path write(Path folder) throws IOException {
        Files.createDirectories(folder);
        String name = "tunl-bench-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", started.toString());
        json.put("command", command);
        json.put("machine", machine);
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("measurement", row.measurement());
            line.put("unit", row.unit());
            line.put("tunl", row.tunl());
            line.put("openssh", row.openssh());
            line.put("ratio", row.ratio());
            line.put("target", row.target());
            line.put("met", row.met());
            table.add(line);
        }
        json.put("rows", table);
        json.put("details", details);
        Files.writeString(folder.resolve(name + ".json"), Json.write(json));
        Path markdown = folder.resolve(name + ".md");
        Files.writeString(markdown, markdown());
        return markdown;
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "";
        }
        if (value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
