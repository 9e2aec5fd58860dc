package org.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sluice.FreshClasses;

/**
 * The desktop installers leave the Kubernetes client out: {@code sluice host} must get through
 * its engine choice without a class of it. Sluice is loaded again here by a class loader that
 * has no {@code io.fabric8} class.
 */
class LocalEngineWithoutKubernetesClientTest {

    @TempDir
    Path data;

    /** Loads Sluice and its libraries again, without the Kubernetes client. */
    private static final class WithoutKubernetesClient extends URLClassLoader {
        WithoutKubernetesClient(URL[] path) {
            super(path, ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.fabric8.")) {
                throw new ClassNotFoundException(name + " is left out, as the desktop installers leave it out");
            }
            return super.loadClass(name, resolve);
        }
    }

    /** Runs {@code sluice host ARGS} in the loader without the client; the exception that escaped, if any, in the error text. */
    private String hostWithoutClient(String... options) throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.ENGLISH);
        try (WithoutKubernetesClient loader = new WithoutKubernetesClient(FreshClasses.classPath())) {
            Class<?> main = loader.loadClass("org.sluice.cli.SluiceMain");
            Method run = main.getDeclaredMethod("run", String[].class, InputStream.class, PrintWriter.class, PrintWriter.class);
            run.setAccessible(true);
            List<String> args = new ArrayList<>(List.of("host", "--data", data.toString(), "--port", "0", "--manage", "off"));
            args.addAll(List.of(options));
            StringWriter err = new StringWriter();
            try {
                run.invoke(null, args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                        new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            } catch (InvocationTargetException e) {
                return err + e.getCause().toString();
            }
            return err.toString();
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void theHostCommandChoosesItsEngineWithoutTheClient() throws Exception {
        assertThat(hostWithoutClient("--engine", "docker")).contains("--engine docker is neither local nor kubernetes");
    }

    @Test
    void theKubernetesEngineSaysWhereItIsInsteadOfFailingOnAMissingClass() throws Exception {
        assertThat(hostWithoutClient("--engine", "kubernetes", "--instance-image", "sluice-instance:1"))
                .contains("--engine kubernetes cannot run here").contains("container image")
                .doesNotContain("NoClassDefFoundError");
    }
}
