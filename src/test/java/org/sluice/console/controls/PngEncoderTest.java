package org.sluice.console.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class PngEncoderTest {

    @Test
    void aPictureEncodedReadsBackPixelForPixelWithItsTransparency() throws Exception {
        int[] argb = {0xFFFF0000, 0xFF00FF00, 0x800000FF, 0x00000000, 0xFFFFFFFF, 0xFF123456};

        byte[] png = PngEncoder.encode(3, 2, argb);

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(read.getWidth()).isEqualTo(3);
        assertThat(read.getHeight()).isEqualTo(2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertThat(read.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(argb[y * 3 + x] == 0 ? 0 : argb[y * 3 + x]);
            }
        }
    }
}
