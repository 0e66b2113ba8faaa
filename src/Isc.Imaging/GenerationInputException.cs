namespace Isc.Imaging;

/// <summary>Bad input to generation (missing/short folders, unreadable images, bad face list): the message says what and where.</summary>
public sealed class GenerationInputException(string message) : IOException(message);
