// Package sqlitewal registers a SQLite VFS that gathers the frames a
// transaction appends to its write-ahead log into a few large writes.
//
// SQLite writes each WAL frame with two calls, a 24-byte header and the page,
// so a commit of a few thousand dirty pages is thousands of pwrite system
// calls; where a system call is dear (a virtual machine) those calls are a
// quarter of a bulk insert's time. This VFS is the host's default VFS with
// one change: the WAL file's contiguous writes are kept in a buffer and
// written together when the commit frame is complete, before SQLite publishes
// the commit to other connections (it does that in shared memory, without
// another call on the WAL file). Every other call on the WAL file (read, size,
// truncate, sync, close, file control) writes the buffer first, so SQLite
// never sees the file without its own writes, and nothing that is committed
// is held back: a crash loses only frames of a transaction that had not
// committed, as without the buffer.
//
// The database file and the other files are the default VFS's own, untouched.
package sqlitewal

import (
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// Name is the VFS's name, for a DSN's vfs= parameter.
const Name = "invmon-walgather"

// flushAt is the buffer size that is written even before the commit frame
// (a large transaction's frames are written in pieces of about this size).
const flushAt = 1 << 20

// maxWrite is the most the default VFS writes in one call: it keeps only
// the low 17 bits of a write's length (os_unix.c, seekAndWriteFd).
const maxWrite = 0x1ffff &^ 0xfff

const (
	walHeaderSize   = 32
	frameHeaderSize = 24
)

var (
	registerOnce sync.Once
	registerErr  error

	base     *sqlite3.Tsqlite3_vfs // the default VFS this one wraps
	baseSize int32                 // its file objects' size; our trailer follows
	vfs      sqlite3.Tsqlite3_vfs

	mu      sync.Mutex
	files   = map[uintptr]*walFile{}   // by handle, which the trailer holds
	methods = map[uintptr]*ioMethods{} // our methods, by the base methods they wrap
	handles uintptr

	flushes atomic.Int64 // writes issued for gathered frames
	frames  atomic.Int64 // frame headers gathered
)

// ioMethods is allocated once per distinct base method table and never freed:
// SQLite holds a pointer to it in every open WAL file.
type ioMethods struct {
	sqlite3.Tsqlite3_io_methods
}

// walFile is the buffer of one open WAL file.
type walFile struct {
	mu       sync.Mutex
	base     *sqlite3.Tsqlite3_io_methods
	buf      []byte
	off      int64 // file offset of buf[0]
	inCommit bool  // the last frame header written was a commit frame's
}

// Register registers the VFS (once per process) and reports whether that
// worked. The default VFS stays the default.
func Register() error {
	registerOnce.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		p := sqlite3.Xsqlite3_vfs_find(tls, 0)
		if p == 0 {
			registerErr = fmt.Errorf("sqlitewal: SQLite has no default VFS")
			return
		}
		base = (*sqlite3.Tsqlite3_vfs)(ptr(p))
		baseSize = (base.FszOsFile + 7) &^ 7
		vfs = *base
		vfs.FpNext = 0
		vfs.FszOsFile = baseSize + int32(unsafe.Sizeof(uintptr(0)))
		name, err := libc.CString(Name)
		if err != nil {
			registerErr = err
			return
		}
		vfs.FzName = name
		*(*func(*libc.TLS, uintptr, uintptr, uintptr, int32, uintptr) int32)(unsafe.Pointer(&vfs.FxOpen)) = open
		if rc := sqlite3.Xsqlite3_vfs_register(tls, uintptr(unsafe.Pointer(&vfs)), 0); rc != sqlite3.SQLITE_OK {
			registerErr = fmt.Errorf("sqlitewal: registering the VFS: SQLite error %d", rc)
		}
	})
	return registerErr
}

// Gathered reports how many WAL frames went through the buffer and in how
// many writes they reached the file, since the process started.
func Gathered() (frameCount, writeCount int64) { return frames.Load(), flushes.Load() }

// open opens every file with the default VFS, into the same memory (the
// default VFS's file object comes first, so its own methods work on it
// unchanged), and gives a WAL file the methods below.
func open(tls *libc.TLS, pVfs, zName, pFile uintptr, flags int32, pOutFlags uintptr) int32 {
	rc := call6(base.FxOpen, tls, uintptr(unsafe.Pointer(base)), zName, pFile, flags, pOutFlags)
	if rc != sqlite3.SQLITE_OK || flags&sqlite3.SQLITE_OPEN_WAL == 0 {
		return rc
	}
	file := (*sqlite3.Tsqlite3_file)(ptr(pFile))
	if file.FpMethods == 0 {
		return rc
	}
	w := &walFile{base: (*sqlite3.Tsqlite3_io_methods)(ptr(file.FpMethods))}
	mu.Lock()
	handles++
	h := handles
	files[h] = w
	m := methods[file.FpMethods]
	if m == nil {
		m = wrap(w.base)
		methods[file.FpMethods] = m
	}
	mu.Unlock()
	*(*uintptr)(unsafe.Add(ptr(pFile), baseSize)) = h
	file.FpMethods = uintptr(unsafe.Pointer(&m.Tsqlite3_io_methods))
	return rc
}

// wrap copies the default VFS's methods and replaces those that touch the
// file's content or size.
func wrap(b *sqlite3.Tsqlite3_io_methods) *ioMethods {
	m := &ioMethods{*b}
	*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&m.FxClose)) = closeFile
	*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxRead)) = read
	*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxWrite)) = write
	*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&m.FxTruncate)) = truncate
	*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&m.FxSync)) = syncFile
	*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&m.FxFileSize)) = fileSize
	*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&m.FxFileControl)) = fileControl
	return m
}

func fileOf(pFile uintptr) (*walFile, uintptr) {
	h := *(*uintptr)(unsafe.Add(ptr(pFile), baseSize))
	mu.Lock()
	w := files[h]
	mu.Unlock()
	return w, h
}

// write appends to the buffer when the write continues it, and writes the
// buffer out once the commit frame is complete: SQLite then publishes the
// commit in shared memory, and another connection may read these frames
// through its own file descriptor.
func write(tls *libc.TLS, pFile, zBuf uintptr, iAmt int32, iOfst int64) int32 {
	w, _ := fileOf(pFile)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 && iOfst != w.off+int64(len(w.buf)) {
		if rc := w.flush(tls, pFile); rc != sqlite3.SQLITE_OK {
			return rc
		}
	}
	if len(w.buf) == 0 {
		w.off = iOfst
	}
	data := unsafe.Slice((*byte)(ptr(zBuf)), iAmt)
	w.buf = append(w.buf, data...)
	// A frame header carries, in bytes 4..8, the database size after the
	// commit for a commit frame and zero otherwise; its page comes next.
	if iAmt == frameHeaderSize && iOfst >= walHeaderSize {
		frames.Add(1)
		w.inCommit = binary.BigEndian.Uint32(data[4:8]) != 0
		return sqlite3.SQLITE_OK
	}
	// From the commit frame's page on, every write goes out at once until
	// the next transaction's first frame header: the page may come in two
	// writes, and SQLite may pad the commit to a sector boundary with
	// copies of the commit frame, splitting the last one around a sync.
	if w.inCommit || len(w.buf) >= flushAt {
		return w.flush(tls, pFile)
	}
	return sqlite3.SQLITE_OK
}

// flush writes the buffer with the default VFS; w.mu is held.
func (w *walFile) flush(tls *libc.TLS, pFile uintptr) int32 {
	if len(w.buf) == 0 {
		return sqlite3.SQLITE_OK
	}
	rc := int32(sqlite3.SQLITE_OK)
	for done := 0; done < len(w.buf) && rc == sqlite3.SQLITE_OK; done += maxWrite {
		n := min(maxWrite, len(w.buf)-done)
		flushes.Add(1)
		rc = call5w(w.base.FxWrite, tls, pFile, uintptr(unsafe.Pointer(&w.buf[done])), int32(n), w.off+int64(done))
	}
	w.buf = w.buf[:0]
	if cap(w.buf) > 4*flushAt {
		w.buf = nil
	}
	return rc
}

// flushed runs f after writing the buffer out.
func flushed(tls *libc.TLS, pFile uintptr, f func(w *walFile) int32) int32 {
	w, _ := fileOf(pFile)
	w.mu.Lock()
	defer w.mu.Unlock()
	if rc := w.flush(tls, pFile); rc != sqlite3.SQLITE_OK {
		return rc
	}
	return f(w)
}

func read(tls *libc.TLS, pFile, zBuf uintptr, iAmt int32, iOfst int64) int32 {
	return flushed(tls, pFile, func(w *walFile) int32 {
		return call5w(w.base.FxRead, tls, pFile, zBuf, iAmt, iOfst)
	})
}

func truncate(tls *libc.TLS, pFile uintptr, size int64) int32 {
	return flushed(tls, pFile, func(w *walFile) int32 {
		return (*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&w.base.FxTruncate)))(tls, pFile, size)
	})
}

func syncFile(tls *libc.TLS, pFile uintptr, flags int32) int32 {
	return flushed(tls, pFile, func(w *walFile) int32 {
		return (*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&w.base.FxSync)))(tls, pFile, flags)
	})
}

func fileSize(tls *libc.TLS, pFile, pSize uintptr) int32 {
	return flushed(tls, pFile, func(w *walFile) int32 {
		return (*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&w.base.FxFileSize)))(tls, pFile, pSize)
	})
}

func fileControl(tls *libc.TLS, pFile uintptr, op int32, pArg uintptr) int32 {
	return flushed(tls, pFile, func(w *walFile) int32 {
		return (*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&w.base.FxFileControl)))(tls, pFile, op, pArg)
	})
}

// closeFile writes the buffer out and closes the file even when that write
// fails (SQLite does not retry a close), reporting the failure.
func closeFile(tls *libc.TLS, pFile uintptr) int32 {
	w, h := fileOf(pFile)
	w.mu.Lock()
	rc := w.flush(tls, pFile)
	w.mu.Unlock()
	crc := (*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&w.base.FxClose)))(tls, pFile)
	mu.Lock()
	delete(files, h)
	mu.Unlock()
	if rc != sqlite3.SQLITE_OK {
		return rc
	}
	return crc
}

// call6 calls an xOpen pointer of the default VFS.
func call6(fn uintptr, tls *libc.TLS, pVfs, zName, pFile uintptr, flags int32, pOutFlags uintptr) int32 {
	return (*(*func(*libc.TLS, uintptr, uintptr, uintptr, int32, uintptr) int32)(unsafe.Pointer(&fn)))(tls, pVfs, zName, pFile, flags, pOutFlags)
}

// call5w calls an xRead or xWrite pointer of the default VFS.
func call5w(fn uintptr, tls *libc.TLS, pFile, buf uintptr, n int32, off int64) int32 {
	return (*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&fn)))(tls, pFile, buf, n, off)
}

// ptr turns an address SQLite hands over (memory of the transpiled C
// library, or one of this package's variables) into a pointer; the
// round trip through memory is what the transpiled code does itself.
func ptr(u uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&u)) }
