package org.sluice.console.controls;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.IkonHandler;
import org.kordamp.ikonli.IkonResolverProvider;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.javafx.JavaFXFontLoader;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignF;
import org.kordamp.ikonli.materialdesign2.MaterialDesignK;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;
import org.kordamp.ikonli.materialdesign2.MaterialDesignU;
import org.sluice.fleet.remote.RemoteFleet;
import org.sluice.lifecycle.Operation;
import org.sluice.lifecycle.ServiceState;

/**
 * The one place that maps Sluice's concepts to glyphs. It sits with the controls rather than the
 * views because the grid's cells draw states and operations too, and a control may not depend on
 * a view.
 */
public enum Icons {
    START(MaterialDesignP.PLAY),
    STOP(MaterialDesignS.STOP),
    RESTART(MaterialDesignR.RESTART),
    SUSPEND(MaterialDesignP.PAUSE),
    RESUME(MaterialDesignP.PLAY_PAUSE),
    DELETE(MaterialDesignD.DELETE_OUTLINE),
    SCALE(MaterialDesignA.ARROW_EXPAND_HORIZONTAL),
    CONFIGURE(MaterialDesignC.COG_OUTLINE),
    BACKUP(MaterialDesignC.CONTENT_SAVE_OUTLINE),
    CREATE(MaterialDesignP.PLUS),
    RESTORE(MaterialDesignB.BACKUP_RESTORE),
    DISABLE(MaterialDesignC.CANCEL),
    ENABLE(MaterialDesignC.CHECK),
    UPDATE(MaterialDesignU.UPDATE),
    LOG(MaterialDesignT.TEXT_BOX_OUTLINE),
    SAVE_BUNDLE(MaterialDesignF.FOLDER_ZIP_OUTLINE),
    COPY(MaterialDesignC.CONTENT_COPY),
    STATE_ACTIVE(MaterialDesignC.CHECK_CIRCLE),
    STATE_STOPPED(MaterialDesignS.STOP_CIRCLE),
    STATE_SUSPENDED(MaterialDesignP.PAUSE_CIRCLE),
    STATE_DISABLED(MaterialDesignC.CANCEL),
    STATE_FAILED(MaterialDesignA.ALERT_CIRCLE),
    STATE_BUSY(MaterialDesignP.PROGRESS_CLOCK),
    THROTTLED(MaterialDesignS.SPEEDOMETER),
    FLAPPING(MaterialDesignS.SINE_WAVE),
    CLOSE(MaterialDesignC.CLOSE),
    THIS_COMPUTER(MaterialDesignM.MONITOR),
    CONNECT_HOST(MaterialDesignS.SERVER_PLUS_OUTLINE),
    REMOVE_HOST(MaterialDesignS.SERVER_MINUS_OUTLINE),
    ENTER_KEY(MaterialDesignK.KEY),
    HOST_CONNECTED(MaterialDesignL.LAN_CONNECT),
    HOST_PENDING(MaterialDesignL.LAN_PENDING),
    HOST_DISCONNECTED(MaterialDesignL.LAN_DISCONNECT),
    HOST_UNAUTHORIZED(MaterialDesignK.KEY_ALERT_OUTLINE),
    HOST_CERTIFICATE_CHANGED(MaterialDesignC.CERTIFICATE_OUTLINE);

    private final Ikon ikon;

    Icons(Ikon ikon) {
        this.ikon = ikon;
    }

    public FontIcon create() {
        return new FontIcon(ikon);
    }

    public Ikon ikon() {
        return ikon;
    }

    /**
     * The icon as text: its code point in the icon font, for a control that draws it as a glyph
     * in {@link #fontFamily()} rather than with an icon node of its own.
     */
    public String glyph() {
        return new String(Character.toChars(ikon.getCode()));
    }

    /**
     * The icon font's family, which a style sheet may name once the font is registered; the first
     * call registers it (as the first icon node would), the later ones only answer.
     */
    public static String fontFamily() {
        return IconFont.FAMILY;
    }

    /** Registers the icon font with JavaFX when first used, once for the whole console. */
    private static final class IconFont {
        static final String FAMILY = register();

        private static String register() {
            IkonHandler handler = IkonResolverProvider.getInstance(JavaFXFontLoader.getInstance()).resolve(START.ikon.getDescription());
            if (handler.getFont() == null) {
                JavaFXFontLoader.getInstance().loadFont(handler);
            }
            return handler.getFontFamily();
        }
    }

    public static Icons of(Operation operation) {
        return switch (operation) {
            case START -> START;
            case STOP -> STOP;
            case RESTART -> RESTART;
            case SUSPEND -> SUSPEND;
            case RESUME -> RESUME;
            case DELETE -> DELETE;
            case SCALE -> SCALE;
            case UPDATE_CONFIGURATION -> CONFIGURE;
            case BACKUP -> BACKUP;
            case CREATE -> CREATE;
            case RESTORE -> RESTORE;
            case DISABLE -> DISABLE;
            case ENABLE -> ENABLE;
            case SERVICE_UPDATE -> UPDATE;
            case INSTANCE_RESTART -> RESTART;
            case INSTANCE_LEFT_DOWN -> STATE_FAILED;
        };
    }

    public static Icons of(ServiceState state) {
        if (state.isTransitional()) {
            return STATE_BUSY;
        }
        if (state.isFailure()) {
            return STATE_FAILED;
        }
        return switch (state) {
            case ACTIVE -> STATE_ACTIVE;
            case STOPPED -> STATE_STOPPED;
            case SUSPENDED -> STATE_SUSPENDED;
            default -> STATE_DISABLED;
        };
    }

    /** A connection's state: connected, on its way, down, refused the key, or changed its certificate. */
    public static Icons of(RemoteFleet.State state) {
        return switch (state) {
            case CONNECTED -> HOST_CONNECTED;
            case CONNECTING, RECONNECTING -> HOST_PENDING;
            case UNAUTHORIZED -> HOST_UNAUTHORIZED;
            case CERTIFICATE_CHANGED -> HOST_CERTIFICATE_CHANGED;
            case CLOSED -> HOST_DISCONNECTED;
        };
    }

    /**
     * The style class that colours a connection's state: connection-ok, connection-waiting,
     * connection-failed or connection-off. Not the services' state-* classes: those colour every
     * label under them, and a host's menu has labels of its own.
     */
    public static String styleClass(RemoteFleet.State state) {
        return switch (state) {
            case CONNECTED -> "connection-ok";
            case CONNECTING, RECONNECTING -> "connection-waiting";
            case UNAUTHORIZED, CERTIFICATE_CHANGED -> "connection-failed";
            case CLOSED -> "connection-off";
        };
    }

    /** The style class that colours a state: state-ok, state-off, state-paused, state-failed or state-busy. */
    public static String styleClass(ServiceState state) {
        if (state.isTransitional()) {
            return "state-busy";
        }
        if (state.isFailure()) {
            return "state-failed";
        }
        return switch (state) {
            case ACTIVE -> "state-ok";
            case SUSPENDED -> "state-paused";
            default -> "state-off";
        };
    }
}
