package io.streamnlp.registry;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary over one record's bytes that trusts no length or count the bytes claim beyond what is
 * left of them. Avro's own decoder allocates first and reads after: a string or bytes length (up to
 * 2 GiB) becomes an array of that size, and an array or map count pre-sizes the collection, so a
 * corrupt or hostile record of a dozen bytes could make the reader allocate gigabytes, end in an
 * {@link OutOfMemoryError} and fail the stream thread on every retry (found by the fuzz tests). Here a
 * length beyond the bytes left is an {@link EOFException} before anything is allocated, and so is an
 * array or map block count beyond them: every item of the schemas read here (TextEvent, the internal
 * records) takes at least one byte.
 *
 * <p>One instance per read; not thread-safe. Skipping (fields the reader lacks) allocates nothing and
 * is left to Avro.
 */
final class BoundedDecoder extends Decoder {

    private final BinaryDecoder in;

    private BoundedDecoder(BinaryDecoder in) {
        this.in = in;
    }

    /** A decoder of {@code bytes[offset, offset + length)}. */
    static BoundedDecoder of(byte[] bytes, int offset, int length) {
        return new BoundedDecoder(DecoderFactory.get().binaryDecoder(bytes, offset, length, null));
    }

    /** True when every byte was read. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    /** Bytes not read yet (the decoder reads a byte array in place: nothing is buffered ahead). */
    private long remaining() throws IOException {
        return in.inputStream().available();
    }

    private int length(String what) throws IOException {
        long length = in.readLong();
        if (length < 0) {
            throw new EOFException("negative " + what + " length " + length);
        }
        long remaining = remaining();
        if (length > remaining) {
            throw new EOFException(what + " of " + length + " bytes with only " + remaining + " bytes left in the record");
        }
        return (int) length;
    }

    private long count(long count, String what) throws IOException {
        long remaining = remaining();
        if (count > remaining) {
            throw new EOFException(what + " block of " + count + " items with only " + remaining
                    + " bytes left in the record");
        }
        return count;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length("bytes");
        ByteBuffer result;
        if (old != null && length <= old.capacity()) {
            result = old;
            result.clear();
        } else {
            result = ByteBuffer.allocate(length);
        }
        in.readFixed(result.array(), result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length("bytes"));
    }

    @Override
    public long readArrayStart() throws IOException {
        return count(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return count(in.arrayNext(), "array");
    }

    @Override
    public long readMapStart() throws IOException {
        return count(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return count(in.mapNext(), "map");
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
