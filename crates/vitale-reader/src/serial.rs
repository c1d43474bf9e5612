//! Serial scanners (*douchettes sur port série / COM virtuel*): scanners
//! that send the QR text as bytes on a serial port (RS-232, or USB in CDC
//! "virtual COM" mode), followed by CR, LF or Tab.
//!
//! Unlike keyboard-wedge scanners, serial scanners send the bytes of the
//! text, so keyboard layouts do not matter and no repair is needed. The
//! line handling is the wedge one ([`WedgeConfig`]: terminators, prefix
//! and suffix, size limit, pause policy), in [`SerialLines`], which works
//! over any [`Read`] so that tests drive it with in-memory streams;
//! [`SerialScanner`] puts it over a real port (`serialport` crate, without
//! libudev: on Linux ports are listed from sysfs).
//!
//! A port opened here has a read timeout equal to
//! [`WedgeConfig::inter_char_timeout`]: each read that times out is a
//! pause. [`SerialLines::read_line`] then returns [`SerialError::Timeout`]
//! so that the caller can check for cancellation and call it again.

use std::fmt;
use std::io::{self, ErrorKind, Read};
use std::time::Duration;

use crate::Error;
use crate::wedge::{ByteEvent, ByteLines, PausePolicy, WedgeConfig, WedgeError, line_text};

/// Failures of a serial scanner.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SerialError {
    /// No port has this name (or the device is gone or busy).
    #[error("serial port `{0}` not found")]
    PortNotFound(String),
    /// The port exists but this user may not open it (on Linux, add the
    /// user to the `dialout` group).
    #[error("permission denied on serial port `{0}`")]
    PermissionDenied(String),
    /// The device went away (unplugged, powered off).
    #[error("serial port disconnected")]
    Disconnected,
    /// No complete line within the read timeout; call again to keep
    /// waiting. A partial line pending at that moment was handled per
    /// [`WedgeConfig::on_pause`].
    #[error("no scan within the read timeout")]
    Timeout,
    /// A line exceeded [`WedgeConfig::max_line_chars`]; it was skipped.
    #[error("scanned line longer than {max} characters, skipped")]
    LineTooLong {
        /// The limit.
        max: usize,
    },
    /// Any other I/O failure.
    #[error("serial I/O: {0}")]
    Io(#[from] io::Error),
}

/// Bytes read from the port at a time.
const CHUNK: usize = 256;

/// Lines read from a serial stream, with a read timeout, terminators and
/// the size limit.
///
/// Reads that fail with `TimedOut` or `WouldBlock` are pauses; `Ok(0)` (end
/// of stream) and the errors a vanished device gives are
/// [`SerialError::Disconnected`]. Never panics, never holds more than the
/// limit.
#[derive(Debug)]
pub struct SerialLines<R> {
    reader: R,
    config: WedgeConfig,
    splitter: ByteLines,
    chunk: [u8; CHUNK],
    filled: usize,
    pos: usize,
}

impl<R: Read> SerialLines<R> {
    /// Lines of `reader`.
    pub fn new(reader: R, config: WedgeConfig) -> Self {
        let splitter = ByteLines::new(&config);
        SerialLines {
            reader,
            config,
            splitter,
            chunk: [0; CHUNK],
            filled: 0,
            pos: 0,
        }
    }

    /// The underlying reader.
    pub fn get_ref(&self) -> &R {
        &self.reader
    }

    /// The next line: terminator removed, prefix and suffix stripped,
    /// decoded as UTF-8 (or, if invalid, byte by byte as the legacy code
    /// pages of AZERTY desktops), never empty.
    ///
    /// # Errors
    ///
    /// [`SerialError::Timeout`] on a pause with no complete line,
    /// [`SerialError::LineTooLong`] (reading can go on),
    /// [`SerialError::Disconnected`], [`SerialError::Io`].
    pub fn read_line(&mut self) -> Result<String, SerialError> {
        let result = self.next_line();
        // The wait and what ended it; a line's length, never its text.
        match &result {
            Ok(line) => tracing::debug!(chars = line.chars().count(), "serial line read"),
            Err(SerialError::Timeout) => tracing::debug!("serial pause: no scan yet, waiting"),
            Err(SerialError::LineTooLong { max }) => {
                tracing::info!(max, "serial line too long, skipped");
            }
            Err(SerialError::Disconnected) => tracing::info!("serial scanner disconnected"),
            Err(e) => tracing::info!(error = %e, "serial read failed"),
        }
        result
    }

    fn next_line(&mut self) -> Result<String, SerialError> {
        loop {
            if let Some(result) = self.drain() {
                return result;
            }
            match self.reader.read(&mut self.chunk) {
                Ok(0) => {
                    return self.end_partial().unwrap_or(Err(SerialError::Disconnected));
                }
                Ok(n) => {
                    self.filled = n.min(CHUNK);
                    self.pos = 0;
                }
                Err(err) => match err.kind() {
                    ErrorKind::Interrupted => {}
                    ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                        return self.end_partial().unwrap_or(Err(SerialError::Timeout));
                    }
                    _ if is_disconnection(&err) => {
                        self.splitter.clear();
                        return Err(SerialError::Disconnected);
                    }
                    _ => return Err(SerialError::Io(err)),
                },
            }
        }
    }

    /// Feeds buffered bytes to the splitter until a line or an error.
    fn drain(&mut self) -> Option<Result<String, SerialError>> {
        while let Some(&byte) = self.chunk.get(self.pos).filter(|_| self.pos < self.filled) {
            self.pos += 1;
            match self.splitter.push(byte) {
                Some(ByteEvent::Line(bytes)) => {
                    if let Some(result) = self.finish_line(&bytes).transpose() {
                        return Some(result);
                    }
                }
                Some(ByteEvent::TooLong) => {
                    return Some(Err(SerialError::LineTooLong {
                        max: self.config.max_line_chars,
                    }));
                }
                None => {}
            }
        }
        None
    }

    /// A pause or the end of the stream: the partial line, if the policy
    /// takes it as complete; else it is dropped.
    fn end_partial(&mut self) -> Option<Result<String, SerialError>> {
        match self.config.on_pause {
            PausePolicy::EndLine => match self.splitter.finish() {
                Some(ByteEvent::Line(bytes)) => self.finish_line(&bytes).transpose(),
                _ => None,
            },
            PausePolicy::Discard => {
                self.splitter.clear();
                None
            }
        }
    }

    fn finish_line(&self, bytes: &[u8]) -> Result<Option<String>, SerialError> {
        line_text(&self.config, bytes).map_err(|err| match err {
            WedgeError::Io(err) => SerialError::Io(err),
            _ => SerialError::LineTooLong {
                max: self.config.max_line_chars,
            },
        })
    }
}

/// Whether an I/O error means the device went away.
fn is_disconnection(err: &io::Error) -> bool {
    if matches!(
        err.kind(),
        ErrorKind::BrokenPipe
            | ErrorKind::NotConnected
            | ErrorKind::UnexpectedEof
            | ErrorKind::ConnectionAborted
            | ErrorKind::ConnectionReset
    ) {
        return true;
    }
    let Some(code) = err.raw_os_error() else {
        return false;
    };
    if cfg!(windows) {
        // ERROR_ACCESS_DENIED, ERROR_BAD_COMMAND, ERROR_GEN_FAILURE,
        // ERROR_OPERATION_ABORTED, ERROR_DEVICE_NOT_CONNECTED: what
        // Windows answers on a USB serial device that was unplugged.
        matches!(code, 5 | 22 | 31 | 995 | 1167)
    } else {
        // EIO, ENXIO, ENODEV.
        matches!(code, 5 | 6 | 19)
    }
}

/// Longest read timeout given to a port (a disabled pause,
/// `Duration::MAX`, becomes this).
const MAX_PORT_TIMEOUT: Duration = Duration::from_secs(3600);

/// A scanner on a serial port (*douchette série*).
pub struct SerialScanner {
    name: String,
    lines: SerialLines<Box<dyn serialport::SerialPort>>,
}

impl fmt::Debug for SerialScanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SerialScanner")
            .field("name", &self.name)
            .field("config", &self.lines.config)
            .finish_non_exhaustive()
    }
}

impl SerialScanner {
    /// Opens `port_name` (`COM3`, `/dev/ttyACM0`) at `baud` bits per second
    /// (8N1; USB "virtual COM" scanners ignore the rate), with the default
    /// [`WedgeConfig`].
    ///
    /// # Errors
    ///
    /// [`Error::Serial`] with [`SerialError::PortNotFound`],
    /// [`SerialError::PermissionDenied`] or [`SerialError::Io`].
    pub fn open(port_name: &str, baud: u32) -> Result<Self, Error> {
        Self::open_with(port_name, baud, WedgeConfig::default())
    }

    /// As [`SerialScanner::open`], with a configuration; the port's read
    /// timeout is [`WedgeConfig::inter_char_timeout`] (at most an hour).
    ///
    /// # Errors
    ///
    /// As [`SerialScanner::open`].
    pub fn open_with(port_name: &str, baud: u32, config: WedgeConfig) -> Result<Self, Error> {
        let timeout = config.inter_char_timeout.min(MAX_PORT_TIMEOUT);
        let port = serialport::new(port_name, baud)
            .timeout(timeout)
            .open()
            .map_err(|err| open_error(port_name, err))
            .inspect_err(
                |e| tracing::info!(port = port_name, error = %e, "serial port not opened"),
            )?;
        tracing::info!(port = port_name, baud, "serial port opened");
        Ok(SerialScanner {
            name: port_name.to_owned(),
            lines: SerialLines::new(port, config),
        })
    }

    /// The port's name as given to [`SerialScanner::open`].
    #[must_use]
    pub fn port_name(&self) -> &str {
        &self.name
    }

    /// The next line; see [`SerialLines::read_line`].
    ///
    /// # Errors
    ///
    /// [`Error::Serial`]; [`SerialError::Timeout`] just means "nothing
    /// yet".
    pub fn read_line(&mut self) -> Result<String, Error> {
        self.lines.read_line().map_err(Error::from)
    }
}

fn open_error(port_name: &str, err: serialport::Error) -> SerialError {
    match err.kind() {
        serialport::ErrorKind::NoDevice | serialport::ErrorKind::Io(ErrorKind::NotFound) => {
            SerialError::PortNotFound(port_name.to_owned())
        }
        serialport::ErrorKind::Io(ErrorKind::PermissionDenied) => {
            SerialError::PermissionDenied(port_name.to_owned())
        }
        serialport::ErrorKind::Io(kind) => SerialError::Io(io::Error::new(kind, err.description)),
        serialport::ErrorKind::InvalidInput => {
            SerialError::Io(io::Error::new(ErrorKind::InvalidInput, err.description))
        }
        serialport::ErrorKind::Unknown => SerialError::Io(io::Error::other(err.description)),
    }
}

/// How a port is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PortKind {
    /// USB (most scanners in "virtual COM" mode).
    Usb {
        /// USB vendor id.
        vid: u16,
        /// USB product id.
        pid: u16,
        /// Manufacturer string, if the device gives one.
        manufacturer: Option<String>,
        /// Product string, if the device gives one.
        product: Option<String>,
        /// Serial number, if the device gives one.
        serial_number: Option<String>,
    },
    /// Bluetooth serial (SPP).
    Bluetooth,
    /// A built-in (PCI) port.
    Pci,
    /// Unknown.
    Unknown,
}

/// A serial port present on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// The name to give [`SerialScanner::open`].
    pub name: String,
    /// How it is attached.
    pub kind: PortKind,
}

/// The serial ports present on this machine, to offer a choice to the
/// user.
///
/// # Errors
///
/// [`Error::Serial`] with [`SerialError::Io`] if the system cannot list
/// them.
pub fn list_ports() -> Result<Vec<PortInfo>, Error> {
    let ports = serialport::available_ports().map_err(|err| {
        let kind = match err.kind() {
            serialport::ErrorKind::Io(kind) => kind,
            _ => ErrorKind::Other,
        };
        SerialError::Io(io::Error::new(kind, err.description))
    })?;
    Ok(ports
        .into_iter()
        .map(|port| PortInfo {
            name: port.port_name,
            kind: match port.port_type {
                serialport::SerialPortType::UsbPort(usb) => PortKind::Usb {
                    vid: usb.vid,
                    pid: usb.pid,
                    manufacturer: usb.manufacturer,
                    product: usb.product,
                    serial_number: usb.serial_number,
                },
                serialport::SerialPortType::BluetoothPort => PortKind::Bluetooth,
                serialport::SerialPortType::PciPort => PortKind::Pci,
                serialport::SerialPortType::Unknown => PortKind::Unknown,
            },
        })
        .collect())
}
