package org.sluice.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The project's pom.xml as the packaging tests read it: dependencies, the executions of a plugin
 * in the main build or in a profile, and properties, with {@code ${name}} resolved from the pom's
 * own properties (the main build's, then the given profile's).
 */
final class Pom {
    static final Path FILE = Path.of("pom.xml");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    private final Element project;

    private Pom(Element project) {
        this.project = project;
    }

    static Pom read() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(Files.newInputStream(FILE));
            return new Pom(document.getDocumentElement());
        } catch (IOException | ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("Cannot read " + FILE.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** A dependency of the main build: group, artifact and scope ("compile" when none is given). */
    record Dependency(String groupId, String artifactId, String scope) {
    }

    /** One execution of a plugin: its id, goals and configuration element. */
    record Execution(String id, List<String> goals, Element configuration) {
        /** The text of a configuration parameter, if set. */
        Optional<String> parameter(String name) {
            return configuration == null ? Optional.empty() : Optional.ofNullable(child(configuration, name)).map(Pom::text);
        }
    }

    List<Dependency> dependencies() {
        List<Dependency> all = new ArrayList<>();
        for (Element dependency : children(child(project, "dependencies"), "dependency")) {
            String scope = Optional.ofNullable(child(dependency, "scope")).map(Pom::text).orElse("compile");
            all.add(new Dependency(text(child(dependency, "groupId")), text(child(dependency, "artifactId")), scope));
        }
        return all;
    }

    /** The executions of {@code artifactId} in the main build. */
    List<Execution> executions(String artifactId) {
        return executionsIn(child(project, "build"), artifactId);
    }

    /** The executions of {@code artifactId} in the profile {@code profileId}. */
    List<Execution> executions(String profileId, String artifactId) {
        return executionsIn(child(profile(profileId), "build"), artifactId);
    }

    /** A property, from the profile if it sets it, else from the main build. */
    Optional<String> property(String profileId, String name) {
        Element fromProfile = child(child(profile(profileId), "properties"), name);
        if (fromProfile != null) {
            return Optional.of(text(fromProfile));
        }
        return Optional.ofNullable(child(child(project, "properties"), name)).map(Pom::text);
    }

    /** {@code text} with every {@code ${name}} it holds replaced, recursively, as far as the pom defines them. */
    String resolve(String profileId, String text) {
        String resolved = text;
        for (int depth = 0; depth < 10; depth++) {
            Matcher matcher = PROPERTY.matcher(resolved);
            StringBuilder out = new StringBuilder();
            boolean changed = false;
            while (matcher.find()) {
                String name = matcher.group(1);
                Optional<String> value = name.equals("project.build.directory") ? Optional.of("target")
                        : name.equals("project.basedir") ? Optional.of(".") : property(profileId, name);
                matcher.appendReplacement(out, Matcher.quoteReplacement(value.orElse(matcher.group())));
                changed |= value.isPresent();
            }
            matcher.appendTail(out);
            resolved = out.toString();
            if (!changed) {
                break;
            }
        }
        return resolved;
    }

    private Element profile(String id) {
        for (Element profile : children(child(project, "profiles"), "profile")) {
            if (id.equals(text(child(profile, "id")))) {
                return profile;
            }
        }
        throw new IllegalStateException("pom.xml has no profile " + id);
    }

    private static List<Execution> executionsIn(Element build, String artifactId) {
        List<Execution> all = new ArrayList<>();
        for (Element plugin : children(child(build, "plugins"), "plugin")) {
            if (!artifactId.equals(text(child(plugin, "artifactId")))) {
                continue;
            }
            for (Element execution : children(child(plugin, "executions"), "execution")) {
                List<String> goals = children(child(execution, "goals"), "goal").stream().map(Pom::text).toList();
                all.add(new Execution(text(child(execution, "id")), goals, child(execution, "configuration")));
            }
        }
        return all;
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> all = new ArrayList<>();
        if (parent == null) {
            return all;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                all.add(element);
            }
        }
        return all;
    }

    private static String text(Element element) {
        return element == null ? null : element.getTextContent().strip();
    }
}
