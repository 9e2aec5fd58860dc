package org.sluice.console.controls;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;

/**
 * Encodes a picture as PNG (8-bit RGBA, no filter), for the charts of an incident bundle. The
 * JavaFX Maven jars bring no PNG writer without Swing, and this is all a chart needs.
 */
public final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngEncoder() {
    }

    /** {@code image} as PNG. */
    public static byte[] encode(Image image) {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] argb = new int[width * height];
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                argb[y * width + x] = pixels.getArgb(x, y);
            }
        }
        return encode(width, height, argb);
    }

    /** A picture of {@code width} × {@code height} pixels, row by row as ARGB, as PNG. */
    public static byte[] encode(int width, int height, int[] argb) {
        if (width < 1 || height < 1 || argb.length != width * height) {
            throw new IllegalArgumentException("a " + width + " × " + height + " picture has " + (long) width * height
                    + " pixels, not " + argb.length);
        }
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.write(SIGNATURE);
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(header);
            h.writeInt(width);
            h.writeInt(height);
            // 8 bits a sample, colour type 6 (RGBA), deflate, no filter method choice, no interlace.
            h.write(new byte[] {8, 6, 0, 0, 0});
            chunk(png, "IHDR", header.toByteArray());
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(data)) {
                byte[] row = new byte[1 + width * 4];
                for (int y = 0; y < height; y++) {
                    row[0] = 0;
                    for (int x = 0; x < width; x++) {
                        int p = argb[y * width + x];
                        int at = 1 + x * 4;
                        row[at] = (byte) (p >>> 16);
                        row[at + 1] = (byte) (p >>> 8);
                        row[at + 2] = (byte) p;
                        row[at + 3] = (byte) (p >>> 24);
                    }
                    deflate.write(row);
                }
            }
            chunk(png, "IDAT", data.toByteArray());
            chunk(png, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] content) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(content.length);
        out.write(name);
        out.write(content);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(content);
        out.writeInt((int) crc.getValue());
    }
}
