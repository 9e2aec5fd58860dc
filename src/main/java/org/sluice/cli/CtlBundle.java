package org.sluice.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.sluice.fleet.FleetUnavailableException;
import org.sluice.fleet.UnknownServiceException;
import org.sluice.fleet.bundle.BundleWriteException;
import org.sluice.fleet.bundle.IncidentBundle;
import org.sluice.fleet.bundle.UnknownEpisodeException;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.ServiceDefinition;
import org.sluice.throttle.InstanceEpisode;

/**
 * {@code sluice ctl bundle}: the range a user asks for, and the bundle written through a remote
 * fleet over the same signed-in client as every other ctl command.
 */
final class CtlBundle {
    /** The range when the user gives none. */
    static final Duration DEFAULT_LAST = Duration.ofMinutes(15);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})([smh])");

    private CtlBundle() {
    }

    /** A time range in epoch milliseconds, both ends included. */
    record Range(long fromMs, long toMs) {
    }

    /** A throttle episode as {@code ctl episodes} lists it: its instance and when it started. */
    record EpisodeId(int instance, long startMs) {
    }

    /**
     * The episode {@code --episode INSTANCE@START} names, START as ISO-8601; null when the option is
     * absent.
     *
     * @throws CtlFailure with {@link CtlCommand#USAGE} for a malformed one, or one given with a range or instances
     */
    static EpisodeId episode(String text, boolean rangeOrInstancesGiven) throws CtlFailure {
        if (text == null) {
            return null;
        }
        if (rangeOrInstancesGiven) {
            throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.bundleEpisodeAndRange"));
        }
        int at = text.indexOf('@');
        try {
            if (at > 0) {
                int instance = Integer.parseInt(text.substring(0, at).strip());
                long start = Instant.parse(text.substring(at + 1).strip()).toEpochMilli();
                if (instance >= 0) {
                    return new EpisodeId(instance, start);
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // Told below, with the form that is taken.
        }
        throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.bundleEpisodeForm", text));
    }

    /**
     * The range from {@code --from}/{@code --to} or {@code --last}, at {@code nowMs}.
     *
     * @throws CtlFailure with {@link CtlCommand#USAGE} for a range that cannot be
     */
    static Range range(String from, String to, String last, long nowMs) throws CtlFailure {
        if (last != null && (from != null || to != null)) {
            throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.bundleRange"));
        }
        if (from == null && to == null) {
            Duration span = last == null ? DEFAULT_LAST : duration(last);
            return new Range(nowMs - span.toMillis(), nowMs);
        }
        long toMs = to == null ? nowMs : time("--to", to);
        long fromMs = from == null ? toMs - DEFAULT_LAST.toMillis() : time("--from", from);
        if (toMs < fromMs) {
            throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.bundleBackwards", from, to));
        }
        return new Range(fromMs, toMs);
    }

    private static Duration duration(String text) throws CtlFailure {
        Matcher shortForm = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        Duration span = null;
        if (shortForm.matches()) {
            long n = Long.parseLong(shortForm.group(1));
            span = switch (shortForm.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                span = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                // Told below, with the forms that are taken.
            }
        }
        if (span == null || span.isNegative() || span.isZero()) {
            throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.bundleDuration", text));
        }
        return span;
    }

    private static long time(String option, String text) throws CtlFailure {
        try {
            return Instant.parse(text.strip()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new CtlFailure(CtlCommand.USAGE, Messages.get("ctl.error.bundleTime", option, text));
        }
    }

    /**
     * Instance numbers as the user typed them, checked here: the host answers an impossible
     * instance number with a 404 the remote fleet takes for an unknown service.
     */
    static List<Integer> instances(List<Integer> typed) throws CtlFailure {
        if (typed == null) {
            return List.of();
        }
        for (int index : typed) {
            if (index < 0 || index >= ServiceDefinition.MAX_UNITS) {
                throw new CtlFailure(CtlCommand.NOT_FOUND_OR_INVALID,
                        Messages.get("ctl.error.bundleInstance", index, ServiceDefinition.MAX_UNITS - 1));
            }
        }
        return List.copyOf(typed);
    }

    /**
     * Writes the bundle through a remote fleet on {@code signed}'s client.
     *
     * @return the file written
     */
    static Path write(CtlConnection.Signed signed, String service, List<Integer> instances, Range range, Path out) throws CtlFailure {
        return write(signed, service, bundle -> bundle.write(service, instances, range.fromMs(), range.toMs(), List.of(), out));
    }

    /**
     * Writes the bundle of episode {@code id} of {@code service}, over the episode with
     * {@link IncidentBundle#EPISODE_MARGIN} either side, through a remote fleet on {@code signed}'s client.
     *
     * @return the file written
     * @throws CtlFailure with {@link CtlCommand#NOT_FOUND_OR_INVALID} when the service has no such episode
     */
    static Path writeEpisode(CtlConnection.Signed signed, String service, EpisodeId id, Path out) throws CtlFailure {
        return write(signed, service, bundle -> {
            InstanceEpisode episode = bundle.findEpisode(service, id.instance(), id.startMs());
            return bundle.writeEpisode(episode, IncidentBundle.episodeRange(episode.episode(), System.currentTimeMillis()), out);
        });
    }

    private static Path write(CtlConnection.Signed signed, String service, Function<IncidentBundle, Path> writing) throws CtlFailure {
        RemoteFleet fleet = RemoteFleet.connect(signed.url().toString(), signed.client(), RemoteFleet.Settings.defaults());
        try {
            return writing.apply(new IncidentBundle(fleet, signed.url().toString(), VersionProvider.version(), InstantSource.system()));
        } catch (UnknownEpisodeException e) {
            throw new CtlFailure(CtlCommand.NOT_FOUND_OR_INVALID, Messages.get("ctl.error.bundleEpisode", e.service(), e.instance(),
                    Instant.ofEpochMilli(e.startMs()).toString()));
        } catch (BundleWriteException e) {
            throw new CtlFailure(CtlCommand.NOT_FOUND_OR_INVALID, Messages.get("ctl.error.bundleFolder", e.folder(), e.reason()));
        } catch (UnknownServiceException e) {
            throw new CtlFailure(CtlCommand.NOT_FOUND_OR_INVALID, Messages.get("ctl.error.noService", service));
        } catch (FleetUnavailableException e) {
            throw new CtlFailure(CtlCommand.HOST_ERROR, Messages.get("ctl.error.bundleHost", signed.url(),
                    Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName())));
        } finally {
            fleet.close();
        }
    }
}
