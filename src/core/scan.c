/* scan.c: the list syntax shared by the core's text parsers. */
#include "scan.h"

sy_status
sy_scan_list(sy_scan *sc, sy_scan_item item, void *ctx, bool allow_empty,
			 const sy_env *env)
{
	size_t		i;

	sy_scan_skip_space(sc);
	if (!sy_scan_at(sc, '{'))
		return sy_scan_fail(sc, SY_ESYNTAX, "Expected '{'");
	sc->pos++;
	sy_scan_skip_space(sc);
	if (allow_empty && sy_scan_at(sc, '}'))
	{
		sc->pos++;
		return SY_OK;
	}
	for (i = 0;; i++)
	{
		sy_status	st;

		sy_scan_skip_space(sc);
		if ((st = item(ctx)) != SY_OK)
			return st;
		sy_scan_skip_space(sc);
		if (sy_scan_at(sc, '}'))
		{
			sc->pos++;
			return SY_OK;
		}
		if (!sy_scan_at(sc, ','))
			return sy_scan_fail(sc, SY_ESYNTAX, "Expected ',' or '}'");
		sc->pos++;
		sy_poll(env, i);
	}
}

sy_status
sy_scan_end(sy_scan *sc)
{
	sy_scan_skip_space(sc);
	if (sc->pos != sc->len)
		return sy_scan_fail(sc, SY_ESYNTAX, "Unexpected text after the closing '}'");
	return SY_OK;
}
