package io.streamnlp.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The instructions of a Dockerfile, enough of its syntax for docker/Dockerfile: comments, line
 * continuations, global ARG defaults, stages, exec (JSON) and shell forms, COPY flags and
 * {@code ENV k=v} lists.
 */
record DockerfileModel(Map<String, String> globalArgs, List<Stage> stages) {

    record Instruction(String keyword, String arguments) {

        /** The arguments of the exec form (a JSON array), or the shell form split on blanks. */
        List<String> words() {
            String text = arguments.trim();
            if (text.startsWith("[")) {
                try {
                    return new ObjectMapper().readValue(text, new TypeReference<List<String>>() {});
                } catch (IOException e) {
                    throw new UncheckedIOException("Not a JSON array: " + text, e);
                }
            }
            return List.of(text.split("\\s+"));
        }

        boolean isExecForm() {
            return arguments.trim().startsWith("[");
        }
    }

    /** COPY or ADD: --from stage (null for the build context), sources, destination. */
    record Copy(String from, List<String> sources, String destination) {}

    record Stage(String name, String image, List<Instruction> instructions) {

        List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        Optional<Instruction> last(String keyword) {
            List<Instruction> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
        }

        /** The working directory at the end of the stage (absolute). */
        String workdir() {
            String dir = "/";
            for (Instruction i : all("WORKDIR")) {
                String next = i.arguments().trim();
                dir = next.startsWith("/") ? next : (dir.endsWith("/") ? dir : dir + "/") + next;
            }
            return dir;
        }

        List<Copy> copies() {
            List<Copy> copies = new ArrayList<>();
            for (Instruction i : instructions) {
                if (!i.keyword().equals("COPY") && !i.keyword().equals("ADD")) {
                    continue;
                }
                String from = null;
                List<String> words = new ArrayList<>();
                for (String word : splitFlags(i.arguments())) {
                    if (word.startsWith("--from=")) {
                        from = word.substring("--from=".length());
                    } else if (!word.startsWith("--")) {
                        words.add(word);
                    }
                }
                if (words.size() == 1 && words.getFirst().startsWith("[")) {
                    words = new Instruction(i.keyword(), words.getFirst()).words();
                }
                copies.add(new Copy(from, List.copyOf(words.subList(0, words.size() - 1)), words.getLast()));
            }
            return copies;
        }

        /** ENV settings of the stage, in order (later ones win). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");
            for (Instruction i : all("ENV")) {
                Matcher matcher = pair.matcher(i.arguments());
                while (matcher.find()) {
                    String value = matcher.group(2);
                    if (value.startsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    env.put(matcher.group(1), value);
                }
            }
            return env;
        }

        private static List<String> splitFlags(String arguments) {
            // Flags come first; an exec-form array that follows stays one word.
            List<String> words = new ArrayList<>();
            String rest = arguments.trim();
            while (rest.startsWith("--")) {
                int space = rest.indexOf(' ');
                words.add(rest.substring(0, space));
                rest = rest.substring(space).trim();
            }
            if (rest.startsWith("[")) {
                words.add(rest);
            } else {
                words.addAll(List.of(rest.split("\\s+")));
            }
            return words;
        }
    }

    static DockerfileModel parse(Path file) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Repo.read(file).split("\n", -1)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                current.append(trimmed);
                logical.add(current.toString());
                current.setLength(0);
            }
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> instructions = null;
        for (String line : logical) {
            int space = line.indexOf(' ');
            String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
            String arguments = space < 0 ? "" : line.substring(space + 1).trim();
            if (keyword.equals("FROM")) {
                String[] words = arguments.split("\\s+");
                String image = substitute(words[0], globalArgs);
                String name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : String.valueOf(stages.size());
                instructions = new ArrayList<>();
                stages.add(new Stage(name, image, instructions));
            } else if (instructions == null) {
                if (keyword.equals("ARG")) {
                    String[] kv = arguments.split("=", 2);
                    globalArgs.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            } else {
                instructions.add(new Instruction(keyword, arguments));
            }
        }
        return new DockerfileModel(globalArgs, stages);
    }

    Stage stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No stage " + name));
    }

    /** The stage the image is made of: the last one. */
    Stage runtime() {
        return stages.getLast();
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher matcher = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(matcher.group(1), "")));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
