using System.Globalization;

namespace Orders.Domain.Common;

/// <summary>
/// The policy for free text (titles, addresses, reasons, carriers, …): what is printed on labels, invoices and screens
/// must read the same everywhere, so characters that are invisible, that reorder what is displayed, or that are not
/// text at all are refused (never silently stripped: the order would then differ from what the buyer sent).
/// Refused: C0 controls U+0000–U+001F (tab and newlines included: every text field is one line), DEL U+007F, C1 controls
/// U+0080–U+009F; the bidirectional embedding, override and isolate controls U+202A–U+202E and U+2066–U+2069
/// ("Trojan Source" reordering); the byte-order mark U+FEFF; unpaired surrogates; the non-characters U+FDD0–U+FDEF
/// and U+xxFFFE/U+xxFFFF. Allowed: every other character, including the implicit direction marks U+200E, U+200F,
/// U+061C and the zero-width (non-)joiners U+200C/U+200D that scripts and emoji need.
/// </summary>
public static class FreeText
{
    /// <summary>The index of the first refused character, or null when the text is acceptable.</summary>
    public static int? FirstRefused(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    var scalar = char.ConvertToUtf32(c, text[i + 1]);
                    if ((scalar & 0xFFFE) == 0xFFFE) return i;
                    i++;
                    continue;
                }
                return i;
            }
            if (char.IsLowSurrogate(c) || IsRefused(c)) return i;
        }
        return null;
    }

    public static bool IsAcceptable(string text) => FirstRefused(text) is null;

    private static bool IsRefused(char c) =>
        c <= '\u001F'
        || c is >= '\u007F' and <= '\u009F'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069'
        || c == '\uFEFF'
        || c is >= '\uFDD0' and <= '\uFDEF'
        || c is '\uFFFE' or '\uFFFF';

    /// <summary>"U+202E" for the character at <paramref name="index"/>.</summary>
    public static string Describe(string text, int index)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "U+" + ((int)text[index]).ToString("X4", CultureInfo.InvariantCulture);
    }
}
