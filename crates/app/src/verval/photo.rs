//! Visit photos are shrunk on the server whatever the phone sent: a slow link pays for the
//! upload once, and every later page view loads a small JPEG. Re-encoding also drops the
//! EXIF block (camera serial numbers, a second GPS fix) that the register does not need.

use std::io::Cursor;
use std::sync::LazyLock;

use tokio::sync::Semaphore;

use image::ImageReader;
use image::codecs::jpeg::JpegEncoder;

use crate::AppError;

/// The longest side kept, in pixels.
pub const MAX_SIDE: u32 = 1280;
/// The largest upload accepted, before shrinking.
pub const MAX_UPLOAD: usize = 12 * 1024 * 1024;

/// Decoding is CPU- and memory-heavy: at most two photos at a time, off the async
/// threads, so a few operators sending at once cannot stall the pages of everyone else.
static DECODING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// `shrink` on the blocking pool, two at a time.
pub async fn shrink_queued(bytes: Vec<u8>) -> Result<Vec<u8>, AppError> {
    let _permit = DECODING
        .acquire()
        .await
        .map_err(|_| AppError::Invalid("foto tidak dapat diproses".into()))?;
    tokio::task::spawn_blocking(move || shrink(&bytes))
        .await
        .map_err(|_| AppError::Invalid("foto tidak dapat diproses".into()))?
}

/// A JPEG at most `MAX_SIDE` on its longest side, from a JPEG or PNG.
pub fn shrink(bytes: &[u8]) -> Result<Vec<u8>, AppError> {
    let bad = || AppError::Invalid("foto harus berkas JPEG atau PNG".into());
    if bytes.len() > MAX_UPLOAD {
        return Err(AppError::Invalid(
            "foto terlalu besar (paling besar 12 MB)".into(),
        ));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| bad())?;
    // A small file can still claim a huge canvas; refuse before allocating it.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| bad())?;
    let img = if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        img
    };
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 75)
        .encode_image(&img.to_rgb8())
        .map_err(|e| AppError::Invalid(format!("foto tidak dapat disimpan: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn large_photos_shrink_to_a_jpeg_within_bounds() {
        let out = shrink(&png(3000, 1500)).unwrap();
        let img = image::load_from_memory(&out).unwrap();
        assert_eq!((img.width(), img.height()), (MAX_SIDE, 640));
        assert_eq!(&out[..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn small_photos_keep_their_size_and_junk_is_refused() {
        let img = image::load_from_memory(&shrink(&png(200, 100)).unwrap()).unwrap();
        assert_eq!((img.width(), img.height()), (200, 100));
        assert!(matches!(shrink(b"bukan gambar"), Err(AppError::Invalid(_))));
    }
}
