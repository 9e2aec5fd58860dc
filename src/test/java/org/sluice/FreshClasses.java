package org.sluice;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sluice and its libraries loaded again, apart from the test's own classes: what a start loads,
 * and which libraries it sets up, can be seen there, whatever earlier tests have loaded.
 */
public final class FreshClasses extends URLClassLoader {
    public FreshClasses() throws MalformedURLException {
        super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    /** Whether {@code name} has been loaded here. */
    public boolean loaded(String name) {
        return findLoadedClass(name) != null;
    }

    /** The tests' own class path, as URLs a class loader takes. */
    public static URL[] classPath() throws MalformedURLException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
