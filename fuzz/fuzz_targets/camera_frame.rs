//! Camera buffers to grey (`vitale_reader::camera::grey_from`): the first
//! byte chooses the pixel format (YUYV, NV12, grey, RGB, BGR, MJPEG), the
//! next two the width and height (0 to 255), the rest is the buffer. A
//! conversion either fails with a `format` error or gives an image of the
//! announced size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vitale_reader::camera::{PixelFormat, grey_from};

const FORMATS: [PixelFormat; 6] = [
    PixelFormat::Grey,
    PixelFormat::Yuyv,
    PixelFormat::Nv12,
    PixelFormat::Rgb24,
    PixelFormat::Bgr24,
    PixelFormat::Mjpeg,
];

fuzz_target!(|data: &[u8]| {
    let [f, w, h, rest @ ..] = data else {
        return;
    };
    let format = FORMATS[usize::from(*f) % FORMATS.len()];
    let (width, height) = (u32::from(*w), u32::from(*h));
    match grey_from(format, width, height, rest) {
        Ok(image) => {
            assert_eq!((image.width(), image.height()), (width, height));
            assert_eq!(image.pixels().len(), usize::from(*w) * usize::from(*h));
        }
        Err(e) => assert_eq!(e.kind(), "format"),
    }
});
