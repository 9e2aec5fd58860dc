package org.sluice.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import org.sluice.FreshClasses;

/**
 * Runs {@code SluiceMain} in classes of their own, so that a test can ask afterwards which classes a
 * command line loaded (what a start costs is mostly what it loads and builds).
 */
final class FreshMain {
    private FreshMain() {
    }

    /**
     * @param opened run when the command line opens the console
     * @return the exit status
     */
    static int run(FreshClasses loader, String[] args, StringWriter out, Runnable opened) throws Exception {
        Class<?> main = loader.loadClass("org.sluice.cli.SluiceMain");
        Class<?> opener = loader.loadClass("org.sluice.cli.SluiceMain$ConsoleOpener");
        Object console = Proxy.newProxyInstance(loader, new Class<?>[] {opener}, (proxy, method, arguments) -> {
            if (!method.getName().equals("open")) {
                throw new UnsupportedOperationException(method.getName());
            }
            opened.run();
            return null;
        });
        Method run = main.getDeclaredMethod("run", String[].class, InputStream.class, PrintWriter.class, PrintWriter.class, opener);
        run.setAccessible(true);
        return (Integer) run.invoke(null, args, InputStream.nullInputStream(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter()), console);
    }
}
