/* glyphref: FreeType's rendering of one glyph (a character, or a character and its variation
 * selector) at a size and resolution, as a binary PGM (ink dark on white), for comparing with
 * what a PDF viewer draws. Test tool only.
 *     glyphref FONT CODEPOINT[+SELECTOR] POINTS DPI OUT.pgm      (code points in hex) */
#include <stdio.h>
#include <stdlib.h>

#include <ft2build.h>
#include FT_FREETYPE_H

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: glyphref FONT CP[+VS] POINTS DPI OUT.pgm\n");
        return 2;
    }
    char *end;
    unsigned long cp = strtoul(argv[2], &end, 16), vs = 0;
    if (*end == '+')
        vs = strtoul(end + 1, &end, 16);
    double points = atof(argv[3]);
    unsigned dpi = (unsigned)atoi(argv[4]);
    FT_Library lib;
    FT_Face face;
    if (FT_Init_FreeType(&lib) || FT_New_Face(lib, argv[1], 0, &face) ||
        FT_Select_Charmap(face, FT_ENCODING_UNICODE)) {
        fprintf(stderr, "glyphref: cannot open %s\n", argv[1]);
        return 1;
    }
    /* 0 for a sequence the font lacks: no base glyph instead. */
    FT_UInt gid = vs ? FT_Face_GetCharVariantIndex(face, cp, vs) : FT_Get_Char_Index(face, cp);
    if (!gid) {
        fprintf(stderr, "glyphref: %s has no glyph for %lX%s%lX\n", argv[1], cp, vs ? "+" : "",
                vs);
        return 1;
    }
    if (FT_Set_Char_Size(face, 0, (FT_F26Dot6)(points * 64), dpi, dpi) ||
        FT_Load_Glyph(face, gid, FT_LOAD_NO_HINTING | FT_LOAD_RENDER)) {
        fprintf(stderr, "glyphref: cannot render glyph %u\n", gid);
        return 1;
    }
    FT_Bitmap *b = &face->glyph->bitmap;
    FILE *out = fopen(argv[5], "wb");
    if (!out)
        return 1;
    fprintf(out, "P5\n%u %u\n255\n", b->width, b->rows);
    for (unsigned y = 0; y < b->rows; y++)
        for (unsigned x = 0; x < b->width; x++)
            fputc(255 - b->buffer[y * (unsigned)b->pitch + x], out);
    fclose(out);
    FT_Done_Face(face);
    FT_Done_FreeType(lib);
    return 0;
}
