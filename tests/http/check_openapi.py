# The route table (http/routes.c) and docs/openapi.json say the same:
# every route is documented with its method and roles (x-roles), and
# every documented operation is a route. Prints one line per difference.
import json, re, sys
src, doc = sys.argv[1], sys.argv[2]
text = open(src).read()
macros = dict(re.findall(r'#define (\w+) "([^"]*)"', text))
routes = {}
for m, path, roles, flags in re.findall(
        r'\{"(GET|POST|PUT|PATCH|DELETE)", "(/api/[^"]*)", \w+,\s*(\w+|"[^"]*"),\s*([^}]*)\}', text):
    roles = roles.strip('"') if roles.startswith('"') else macros[roles]
    if 'HTTP_R_PUBLIC' in flags:
        roles = 'public'
    routes[(m.lower(), path)] = roles
d = json.load(open(doc))
ops = {}
for path, item in d['paths'].items():
    for m, o in item.items():
        ops[(m, path)] = o.get('x-roles')
bad = 0
for k, roles in routes.items():
    if k not in ops:
        print('not documented: %s %s' % (k[0].upper(), k[1])); bad += 1
    elif ops[k] != roles and not (roles == '*' and ops[k] == 'public'):
        print('roles differ: %s %s: route %s, openapi %s' % (k[0].upper(), k[1], roles, ops[k])); bad += 1
for k in ops:
    if k not in routes:
        print('documented, no route: %s %s' % (k[0].upper(), k[1])); bad += 1
print('%d routes, %d documented operations, %d differences' % (len(routes), len(ops), bad))
sys.exit(1 if bad else 0)
