package io.streamnlp.ingest;

import io.streamnlp.deadletter.RejectedInputException;
import io.streamnlp.deadletter.RejectReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: malformed bytes are an error, never silently replaced by U+FFFD. */
final class Utf8 {

    private Utf8() {}

    static String decode(byte[] bytes, String what) throws RejectedInputException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RejectedInputException(RejectReason.BAD_UTF8, what + " is not valid UTF-8", e);
        }
    }
}
