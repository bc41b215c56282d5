// Package sqlitewal registers a SQLite VFS that gathers the frames a
// transaction appends to its write-ahead log into a few large writes.
//
// SQLite writes each WAL frame with two calls, a 24-byte header and the page,
// so a commit of a few thousand dirty pages is thousands of pwrite system
// calls; where a system call is dear (a virtual machine) those calls are a
// quarter of a bulk insert's time. This VFS is the host's default VFS with
// one change: the WAL file's contiguous writes are kept in a buffer and
// written out
//   - when a commit frame has been written (so that a failed write still
//     fails the commit),
//   - before any other call on the WAL file (read, size, truncate, sync,
//     close, file control), so SQLite never sees the file without its writes,
//   - when SQLite publishes a commit to other connections: it does that in
//     shared memory, between two copies of the WAL index header with a
//     memory barrier on the database file in between, so the database
//     file's barrier writes the buffer out first;
//   - and what is still buffered when the connection releases the WAL write
//     lock (a rolled-back transaction's frames) is dropped, so that it is
//     never written over another writer's frames.
//
// Nothing that is committed is held back: a crash loses only frames of a
// transaction that had not committed, as without the buffer.
//
// A failed write of buffered frames fails every later call on the WAL file
// until the transaction ends, so the transaction rolls back as a whole
// (SQLite would roll back only the statement on a full disk). With
// locking_mode=EXCLUSIVE, where SQLite takes no shared-memory locks, such a
// failure lasts until the connection is reopened; the store does not use
// that mode.
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
	walWriteLock    = 0 // the WAL write lock's slot in the shared-memory locks (wal.c)
)

var (
	registerOnce sync.Once
	registerErr  error

	base     *sqlite3.Tsqlite3_vfs // the default VFS this one wraps
	baseSize int32                 // its file objects' size; our trailer follows
	vfs      sqlite3.Tsqlite3_vfs

	mu      sync.Mutex
	files   = map[uintptr]*walFile{}      // by handle, which a WAL file's trailer holds
	methods = map[methodsKey]*ioMethods{} // our method tables (in C memory)
	handles uintptr

	flushes atomic.Int64 // writes issued for gathered frames
	frames  atomic.Int64 // frame headers gathered
	// lateWrites counts buffers a barrier found: frames of a commit that
	// its own writes did not send, whose write failure could no longer
	// fail the commit. Tests expect none.
	lateWrites atomic.Int64
)

// ioMethods is a method table SQLite holds a pointer to in every open file
// of its kind; allocated once per kind and base table, never freed. The
// SQLite-visible table comes first, so a file's method pointer leads back
// to the base methods it wraps.
type ioMethods struct {
	sqlite3.Tsqlite3_io_methods
	base uintptr // *sqlite3.Tsqlite3_io_methods
}

type methodsKey struct {
	base uintptr
	wal  bool
}

// walFile is the buffer of one open WAL file.
type walFile struct {
	mu        sync.Mutex
	pFile     uintptr // the WAL file (SQLite's memory)
	db        uintptr // its database file, whose trailer names this WAL (0: none)
	buf       []byte
	off       int64 // file offset of buf[0]
	inCommit  bool  // the last frame header written was a commit frame's
	headerEnd int64 // end of the frame header just written (0: the last write was not one)
	// err is a failed write of frames SQLite was told were written: every
	// later call on the file fails with it until the write lock goes (the
	// transaction is rolled back), so that nothing commits without them.
	// After a failed write at the publication of a commit, which cannot
	// fail the commit any more, it stays: the connection must be reopened.
	err       int32
	published bool // err came from the barrier and never clears
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
// unchanged), and gives database and WAL files the methods below.
func open(tls *libc.TLS, pVfs, zName, pFile uintptr, flags int32, pOutFlags uintptr) int32 {
	rc := call6(base.FxOpen, tls, uintptr(unsafe.Pointer(base)), zName, pFile, flags, pOutFlags)
	file := (*sqlite3.Tsqlite3_file)(ptr(pFile))
	if rc != sqlite3.SQLITE_OK || file.FpMethods == 0 {
		return rc
	}
	*trailer(pFile) = 0
	switch {
	case flags&sqlite3.SQLITE_OPEN_MAIN_DB != 0:
		file.FpMethods = methodsFor(file.FpMethods, false)
	case flags&sqlite3.SQLITE_OPEN_WAL != 0:
		w := &walFile{pFile: pFile}
		mu.Lock()
		handles++
		h := handles
		files[h] = w
		mu.Unlock()
		*trailer(pFile) = h
		file.FpMethods = methodsFor(file.FpMethods, true)
		// The database file this WAL belongs to learns its handle: SQLite
		// publishes commits and releases the write lock through it.
		if db := sqlite3.Xsqlite3_database_file_object(tls, zName); db != 0 && isOurs(db, false) {
			w.db = db
			*trailer(db) = h
		}
	}
	return rc
}

// trailer is the word after the default VFS's file object: for a WAL file
// its handle, for a database file the handle of its open WAL (or 0).
func trailer(pFile uintptr) *uintptr { return (*uintptr)(unsafe.Add(ptr(pFile), baseSize)) }

// methodsFor returns our method table for files of the kind (WAL or
// database) whose default methods are baseMethods.
func methodsFor(baseMethods uintptr, wal bool) uintptr {
	mu.Lock()
	defer mu.Unlock()
	k := methodsKey{baseMethods, wal}
	m := methods[k]
	if m == nil {
		// In the transpiled library's memory, where its pointer checks
		// (go test -race) expect the structures it reaches into.
		tls := libc.NewTLS()
		m = (*ioMethods)(ptr(libc.Xcalloc(tls, 1, uint64(unsafe.Sizeof(ioMethods{})))))
		tls.Close()
		if m == nil {
			panic("sqlitewal: out of memory")
		}
		*m = ioMethods{Tsqlite3_io_methods: *(*sqlite3.Tsqlite3_io_methods)(ptr(baseMethods)), base: baseMethods}
		if wal {
			*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&m.FxClose)) = closeFile
			*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxRead)) = read
			*(*func(*libc.TLS, uintptr, uintptr, int32, int64) int32)(unsafe.Pointer(&m.FxWrite)) = write
			*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&m.FxTruncate)) = truncate
			*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&m.FxSync)) = syncFile
			*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&m.FxFileSize)) = fileSize
			*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&m.FxFileControl)) = fileControl
		} else {
			*(*func(*libc.TLS, uintptr))(unsafe.Pointer(&m.FxShmBarrier)) = shmBarrier
			*(*func(*libc.TLS, uintptr, int32, int32, int32) int32)(unsafe.Pointer(&m.FxShmLock)) = shmLock
		}
		methods[k] = m
	}
	return uintptr(unsafe.Pointer(&m.Tsqlite3_io_methods))
}

// isOurs reports whether a file has one of our method tables of the kind.
func isOurs(pFile uintptr, wal bool) bool {
	p := (*sqlite3.Tsqlite3_file)(ptr(pFile)).FpMethods
	mu.Lock()
	defer mu.Unlock()
	for k, m := range methods {
		if k.wal == wal && uintptr(unsafe.Pointer(&m.Tsqlite3_io_methods)) == p {
			return true
		}
	}
	return false
}

// baseOf returns the default methods a file of ours wraps.
func baseOf(pFile uintptr) *sqlite3.Tsqlite3_io_methods {
	return (*sqlite3.Tsqlite3_io_methods)(ptr((*ioMethods)(ptr((*sqlite3.Tsqlite3_file)(ptr(pFile)).FpMethods)).base))
}

func walOf(h uintptr) *walFile {
	if h == 0 {
		return nil
	}
	mu.Lock()
	defer mu.Unlock()
	return files[h]
}

// write appends to the buffer when the write continues it.
func write(tls *libc.TLS, pFile, zBuf uintptr, iAmt int32, iOfst int64) int32 {
	w := walOf(*trailer(pFile))
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != sqlite3.SQLITE_OK {
		return w.err
	}
	if len(w.buf) > 0 && iOfst != w.off+int64(len(w.buf)) {
		if rc := w.flush(tls); rc != sqlite3.SQLITE_OK {
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
	// A 24-byte write right after a header is the first piece of that
	// frame's page (split at a padded commit's sync point), not a header.
	if iAmt == frameHeaderSize && iOfst >= walHeaderSize && iOfst != w.headerEnd {
		frames.Add(1)
		w.inCommit = binary.BigEndian.Uint32(data[4:8]) != 0
		w.headerEnd = iOfst + frameHeaderSize
	} else {
		w.headerEnd = 0
	}
	// From a commit frame's header on, every write goes out at once until
	// the next transaction's first frame header (the page may come in two
	// writes; SQLite may pad the commit with copies of the commit frame and
	// rewrite frame headers after it). The database file's barrier below
	// catches what this misses; here a failed write still fails the commit.
	if w.inCommit || len(w.buf) >= flushAt {
		return w.flush(tls)
	}
	return sqlite3.SQLITE_OK
}

// flush writes the buffer with the default VFS; w.mu is held. A failure
// drops the buffer and sticks (see walFile.err).
func (w *walFile) flush(tls *libc.TLS) int32 {
	rc := int32(sqlite3.SQLITE_OK)
	for done := 0; done < len(w.buf) && rc == sqlite3.SQLITE_OK; done += maxWrite {
		n := min(maxWrite, len(w.buf)-done)
		flushes.Add(1)
		rc = call5w(baseOf(w.pFile).FxWrite, tls, w.pFile, uintptr(unsafe.Pointer(&w.buf[done])), int32(n), w.off+int64(done))
	}
	w.buf = w.buf[:0]
	if cap(w.buf) > 4*flushAt {
		w.buf = nil
	}
	if rc != sqlite3.SQLITE_OK {
		w.err = rc
	}
	return rc
}

// flushed runs f after writing the buffer out.
func flushed(tls *libc.TLS, pFile uintptr, f func() int32) int32 {
	w := walOf(*trailer(pFile))
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != sqlite3.SQLITE_OK {
		return w.err
	}
	if rc := w.flush(tls); rc != sqlite3.SQLITE_OK {
		return rc
	}
	return f()
}

func read(tls *libc.TLS, pFile, zBuf uintptr, iAmt int32, iOfst int64) int32 {
	return flushed(tls, pFile, func() int32 {
		return call5w(baseOf(pFile).FxRead, tls, pFile, zBuf, iAmt, iOfst)
	})
}

func truncate(tls *libc.TLS, pFile uintptr, size int64) int32 {
	return flushed(tls, pFile, func() int32 {
		return (*(*func(*libc.TLS, uintptr, int64) int32)(unsafe.Pointer(&baseOf(pFile).FxTruncate)))(tls, pFile, size)
	})
}

func syncFile(tls *libc.TLS, pFile uintptr, flags int32) int32 {
	return flushed(tls, pFile, func() int32 {
		return (*(*func(*libc.TLS, uintptr, int32) int32)(unsafe.Pointer(&baseOf(pFile).FxSync)))(tls, pFile, flags)
	})
}

func fileSize(tls *libc.TLS, pFile, pSize uintptr) int32 {
	return flushed(tls, pFile, func() int32 {
		return (*(*func(*libc.TLS, uintptr, uintptr) int32)(unsafe.Pointer(&baseOf(pFile).FxFileSize)))(tls, pFile, pSize)
	})
}

func fileControl(tls *libc.TLS, pFile uintptr, op int32, pArg uintptr) int32 {
	return flushed(tls, pFile, func() int32 {
		return (*(*func(*libc.TLS, uintptr, int32, uintptr) int32)(unsafe.Pointer(&baseOf(pFile).FxFileControl)))(tls, pFile, op, pArg)
	})
}

// closeFile writes the buffer out and closes the file even when that write
// fails (SQLite does not retry a close), reporting the failure.
func closeFile(tls *libc.TLS, pFile uintptr) int32 {
	h := *trailer(pFile)
	w := walOf(h)
	w.mu.Lock()
	rc := w.err
	if rc == sqlite3.SQLITE_OK {
		rc = w.flush(tls)
	}
	if w.db != 0 && *trailer(w.db) == h {
		*trailer(w.db) = 0
	}
	w.mu.Unlock()
	crc := (*(*func(*libc.TLS, uintptr) int32)(unsafe.Pointer(&baseOf(pFile).FxClose)))(tls, pFile)
	mu.Lock()
	delete(files, h)
	mu.Unlock()
	if rc != sqlite3.SQLITE_OK {
		return rc
	}
	return crc
}

// shmBarrier is the database file's memory barrier, which SQLite calls
// between the two copies of the WAL index header when it publishes a
// commit (wal.c, walIndexWriteHdr): the commit's frames go out first. The
// barrier has no result; a failed write sticks to the WAL file.
func shmBarrier(tls *libc.TLS, pDb uintptr) {
	if w := walOf(*trailer(pDb)); w != nil {
		w.mu.Lock()
		if len(w.buf) > 0 {
			lateWrites.Add(1)
		}
		if w.err == sqlite3.SQLITE_OK && w.flush(tls) != sqlite3.SQLITE_OK {
			w.err, w.published = sqlite3.SQLITE_IOERR_WRITE, true
		}
		w.mu.Unlock()
	}
	(*(*func(*libc.TLS, uintptr))(unsafe.Pointer(&baseOf(pDb).FxShmBarrier)))(tls, pDb)
}

// shmLock is the database file's shared-memory lock. When the connection
// releases the WAL write lock, what is still in the buffer was never
// published (a commit's frames went out at its barrier at the latest): the
// frames of a rolled-back transaction, dropped — written later, they would
// land on another writer's.
func shmLock(tls *libc.TLS, pDb uintptr, ofst, n, flags int32) int32 {
	if flags&sqlite3.SQLITE_SHM_UNLOCK != 0 && flags&sqlite3.SQLITE_SHM_EXCLUSIVE != 0 && ofst <= walWriteLock && walWriteLock < ofst+n {
		if w := walOf(*trailer(pDb)); w != nil {
			w.mu.Lock()
			w.buf, w.inCommit, w.headerEnd = w.buf[:0], false, 0
			if !w.published {
				w.err = sqlite3.SQLITE_OK
			}
			w.mu.Unlock()
		}
	}
	return (*(*func(*libc.TLS, uintptr, int32, int32, int32) int32)(unsafe.Pointer(&baseOf(pDb).FxShmLock)))(tls, pDb, ofst, n, flags)
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
