namespace Cordon.Encryption;

/// <summary>Encrypted data that does not open: tampered, cut short, reordered, under another key, or not the format at all.</summary>
internal sealed class EncryptedDataException(string message, Exception? innerException = null)
    : Exception("Encrypted data does not decrypt: " + message + ".", innerException);
