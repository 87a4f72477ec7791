// The srv6sh grammar (language.md §2-§6). Parse trees never leave dev.srv6sh.grammar.internal:
// AstBuilder turns them into the records of dev.srv6sh.grammar.ast.
//
// Newlines end statements, but NewlineFilter (between lexer and parser) drops the ones that do not:
// inside ( ) [ ] and maps, after '{' ',' '->' '=' and binary operators, and repeated blank lines.
// Most words are soft keywords: they are tokens so that the statements read well, and `ident`
// accepts them again wherever a name is expected (`r.rtt.mean`, `{region: s}`, `x region y rtt`).
grammar Srv6;

options { contextSuperClass = LeanContext; }

// ---- statements ---------------------------------------------------------------------------------

program : sep* (stmt (sep+ stmt)*)? sep* EOF ;

// One statement at a time, for the fast first stage (FrontEnd checks that a separator or the end
// follows): only one statement's parse tree is alive at once, however long the script.
nextStmt : sep* (stmt | EOF) ;

sep : NEWLINE | SEMI ;

block : LBRACE sep* (stmt (sep+ stmt)*)? sep* RBRACE ;

stmt
    : REGION declName kind=ident code=expr?                                   # regionStmt
    | RTT a=postfix b=postfix rtt=expr                                        # rttStmt
    | VPC declName IN region=expr propBlock?                                  # vpcStmt
    | HOST declName IN vpc=expr propBlock?                                    # hostStmt
    | ROUTER declName IN vpc=expr routerBlock?                                # routerStmt
    | sidDecl                                                                 # sidStmt
    | policyDecl                                                              # policyStmt
    | steerDecl                                                               # steerStmt
    | PARAM ident ASSIGN expr                                                 # paramStmt
    | LET ident ASSIGN expr                                                   # letStmt
    | FOR var=ident (COMMA idx=ident)? IN expr block                          # forStmt
    | ifStmt                                                                  # ifStmtAlt
    | FN ident LPAREN (ident (COMMA ident)* COMMA?)? RPAREN block             # fnStmt
    | RETURN expr?                                                            # returnStmt
    | IMPORT STRING                                                           # importStmt
    | PLAN                                                                    # planStmt
    | APPLY AUTO?                                                             # applyStmt
    | DESTROY AUTO?                                                           # destroyStmt
    | SHOW what=ident target=expr?                                            # showStmt
    | TRACE router=expr count=expr?                                           # traceStmt
    | CAPTURE router=expr iface=ident? TO file=expr (FOR duration=expr)?      # captureStmt
    | EXPECT expr (ELSE message=expr)?                                        # expectStmt
    | PRINT expr                                                              # printStmt
    | SAVE file=expr value=expr                                               # saveStmt
    | CHART file=expr kind=ident data=expr chartOption*                       # chartStmt
    | ident ASSIGN expr                                                       # assignStmt
    | expr                                                                    # exprStmt
    ;

ifStmt : IF expr block (ELSE (ifStmt | block))? ;

chartOption : ident (field=ident | value=expr) ;

sidDecl : SID declName (AT at=expr)? behavior=dotted sidArg* (ON on=expr)? ;

sidArg : argKey (expr (COMMA expr)*)? ;

policyDecl
    : POLICY declName (BSID bsid=expr)? policyMode=dotted (list=listLit | weighted=weightedLists) (ON on=expr)? ;

weightedLists : LBRACE sep* (segmentList (sep+ segmentList)* sep*)? RBRACE ;

segmentList : listLit (WEIGHT expr)? ;

steerDecl : STEER match=expr ARROW policy=expr (TABLE table=expr)? (ON on=expr)? ;

declName : ident (LBRACK expr RBRACK)? ;

dotted : ident (DOT ident)* ;

// `sr-domain edge inside trusted 2001:db8::/32`: where the SR domain ends and whom it trusts there.
srDomainPart : ident expr (COMMA expr)* ;

// vpc, host and interface bodies: `key value` settings.
propBlock : LBRACE sep* (property (sep+ property)* sep*)? RBRACE ;

property : ident (expr (COMMA expr)*)? ;

routerBlock : LBRACE sep* (routerItem (sep+ routerItem)* sep*)? RBRACE ;

// What the router shell reads: the items of one router's block, without the block around them.
routerItems : sep* (routerItem (sep+ routerItem)*)? sep* EOF ;

routerItem
    : LOCATOR expr                                                            # locatorItem
    | ENCAP ident expr                                                        # encapItem
    | SSH address=expr (COLON port=expr)?                                     # sshItem
    | INTERFACE ident propBlock?                                              # interfaceItem
    | ROUTE prefix=expr VIA via=expr (oifKey=IDENT oif=ident)? (TABLE table=expr)?   # routeItem
    | NEIGHBOR address=expr mac=expr iface=ident                              # neighborItem
    | SR_DOMAIN srDomainPart*                                                 # srDomainItem
    | sidDecl                                                                 # sidItem
    | policyDecl                                                              # policyItem
    | steerDecl                                                               # steerItem
    | settingKey (expr (COMMA expr)*)?                                        # propertyItem
    ;

// ---- expressions, loosest first -----------------------------------------------------------------

exprOnly : expr EOF ;

expr : orExpr ;

orExpr : andExpr (OR andExpr)* ;

andExpr : notExpr (AND notExpr)* ;

notExpr : NOT notExpr | comparison ;

comparison : bitor (op=(EQ | NE | LT | LE | GT | GE | IN) bitor)* ;

bitor : additive (PIPE additive)* ;

additive : multiplicative (op+=(PLUS | MINUS) multiplicative)* ;

multiplicative : unary (op+=(STAR | SLASH) unary)* ;

unary : MINUS unary | postfix ;

postfix : primary postfixOp* ;

postfixOp
    : DOT ident                                                               # memberOp
    | LBRACK from=expr? COLON to=expr? RBRACK                                 # sliceOp
    | LBRACK expr RBRACK                                                      # indexOp
    | LPAREN (expr (COMMA expr)* COMMA?)? RPAREN                              # callOp
    ;

primary
    : NUMBER                                                                  # numberLit
    | HEXNUM                                                                  # numberLit
    | QUANTITY                                                                # quantityLit
    | STRING                                                                  # stringLit
    | (TRUE | FALSE)                                                          # boolLit
    | (IPV4 | IPV6)                                                           # addressLit
    | (IPV4_PREFIX | IPV6_PREFIX)                                             # prefixLit
    | MAC                                                                     # macLit
    | listLit                                                                 # listPrimary
    | LBRACE sep* (mapEntry (COMMA sep* mapEntry)* COMMA?)? sep* RBRACE       # mapLit
    | LPAREN expr RPAREN                                                      # parenExpr
    | PING from=bitor ARROW to=bitor option*                                  # pingExpr
    | MEASURE metric=ident proto=(UDP | TCP)? from=bitor ARROW to=bitor option*     # measureExpr
    | valueName                                                               # identExpr
    ;

listLit : LBRACK (expr (COMMA expr)* COMMA?)? RBRACK ;

mapEntry : (ident | STRING) COLON expr ;

// A missing value is reported by AstBuilder: "'count' needs a value" beats a parser guess.
option : DIRECT | argKey expr? ;

// A word that can name an argument: every name except the ones that end an argument list.
argKey : IDENT | FOR | softKeyword ;

ident : IDENT | DIRECT | softKeyword ;

// A name in an expression. Words that start an operation or a named declaration are left out, so
// `print (1 + )` or `sid dx4 End.DX4 nh` is read as that statement only and its error is found
// where it is. Such words still work as fields, map keys, arguments and declared names.
valueName
    : IDENT | DIRECT | RTT | HOST | LOCATOR | ENCAP | SSH | INTERFACE | ROUTE | NEIGHBOR | AT | BSID | VIA | TO
    | AUTO | TABLE | UDP | TCP | WEIGHT
    ;

// The key of a router setting such as `instance "m5.2xlarge"`: not a word that starts another item.
settingKey : IDENT | RTT | HOST | AT | BSID | VIA | TO | AUTO | TABLE | UDP | TCP | WEIGHT | DIRECT ;

softKeyword
    : REGION | RTT | VPC | HOST | ROUTER | LOCATOR | ENCAP | SSH | INTERFACE | ROUTE | NEIGHBOR
    | SID | POLICY | STEER | PLAN | APPLY | DESTROY | SHOW | TRACE | CAPTURE | EXPECT | PRINT | SAVE
    | CHART | AT | BSID | VIA | TO | AUTO | TABLE | UDP | TCP | WEIGHT
    ;

// ---- lexer --------------------------------------------------------------------------------------

// hard keywords: never names
AND : 'and' ; OR : 'or' ; NOT : 'not' ; IN : 'in' ; TRUE : 'true' ; FALSE : 'false' ;
PING : 'ping' ; MEASURE : 'measure' ; LET : 'let' ; PARAM : 'param' ; FOR : 'for' ; IF : 'if' ;
ELSE : 'else' ; FN : 'fn' ; RETURN : 'return' ; IMPORT : 'import' ; ON : 'on' ;

// soft keywords
REGION : 'region' ; RTT : 'rtt' ; VPC : 'vpc' ; HOST : 'host' ; ROUTER : 'router' ;
LOCATOR : 'locator' ; ENCAP : 'encap' ; SSH : 'ssh' ; INTERFACE : 'interface' ; ROUTE : 'route' ;
NEIGHBOR : 'neighbor' ; SID : 'sid' ; POLICY : 'policy' ; STEER : 'steer' ; PLAN : 'plan' ;
APPLY : 'apply' ; DESTROY : 'destroy' ; SHOW : 'show' ; TRACE : 'trace' ; CAPTURE : 'capture' ;
EXPECT : 'expect' ; PRINT : 'print' ; SAVE : 'save' ; CHART : 'chart' ; AT : 'at' ; BSID : 'bsid' ;
VIA : 'via' ; TO : 'to' ; AUTO : 'auto' ; TABLE : 'table' ; UDP : 'udp' ; TCP : 'tcp' ; WEIGHT : 'weight' ; DIRECT : 'direct' ;

SR_DOMAIN : 'sr-domain' ;

// Addresses come before numbers and names: the longest match wins, and on a tie the first rule.
MAC : HH ':' HH ':' HH ':' HH ':' HH ':' HH ;
IPV6_PREFIX : IPV6_BODY '/' DEC+ ;
IPV6 : IPV6_BODY ;
IPV4_PREFIX : V4 '/' DEC+ ;
IPV4 : V4 ;
HEXNUM : '0' [xX] HEXDIGIT+ ;
// Any letters right after a number make a quantity; AstBuilder rejects units it does not know,
// so `2mtu` is one clear error instead of `2m` followed by a stray `tu`.
QUANTITY : DECNUM ('%' | [a-zA-Z] [a-zA-Z0-9_]*) ;
NUMBER : DECNUM ;

STRING : '"' STR_CHAR* '"' ;
// Without its closing quote a string ends at the end of the line; NewlineFilter reports it.
UNTERMINATED_STRING : '"' STR_CHAR* ;

IDENT : [A-Za-z_] [A-Za-z0-9_]* ;

ARROW : '->' ; EQ : '==' ; NE : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ;
ASSIGN : '=' ; PLUS : '+' ; MINUS : '-' ; STAR : '*' ; SLASH : '/' ; PIPE : '|' ;
LPAREN : '(' ; RPAREN : ')' ; LBRACK : '[' ; RBRACK : ']' ; LBRACE : '{' ; RBRACE : '}' ;
COMMA : ',' ; COLON : ':' ; SEMI : ';' ; DOT : '.' ;

NEWLINE : '\r'? '\n' ;
COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t\f]+ -> skip ;

// Anything else becomes one token the parser cannot use, so the error names the character.
STRAY : . ;

fragment DEC : [0-9] ;
fragment HEXDIGIT : [0-9a-fA-F] ;
fragment HH : HEXDIGIT HEXDIGIT ;
fragment DECNUM : DEC+ ('.' DEC+)? ;
fragment V4 : DEC+ '.' DEC+ '.' DEC+ '.' DEC+ ;
fragment H4 : HEXDIGIT+ ;
// An IPv6 literal contains `::` or seven `:`. The first form is deliberately loose (`1::2::3`,
// `2001:db8:::1`) so that a malformed address is one token with one clear error.
fragment IPV6_BODY
    : (H4 | ':')* '::' (H4 | ':')* V4?
    | H4 ':' H4 ':' H4 ':' H4 ':' H4 ':' H4 ':' H4 ':' H4 (':' H4)*
    | H4 ':' H4 ':' H4 ':' H4 ':' H4 ':' H4 ':' V4
    ;
fragment STR_CHAR : '\\' ~[\r\n] | '${' INTERP_BODY '}' | '$' | ~["\\$\r\n] ;
fragment INTERP_BODY : (~[{}"\r\n] | '"' STR_CHAR* '"' | '{' INTERP_BODY '}')* ;
