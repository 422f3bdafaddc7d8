export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8
export HOSTNAME=abc123
export EMPTY=''
export SPACED='hello world'
export QUOTES='it'"'"'s "quoted"'
export BACKSLASH='a\b'
export MULTI='line1
line2
'
export TAB='a	b'
export CTRL=''
export SAFE=a-b_c.d/e:f,g+h=i@j%k
export DOLLAR='$HOME `x` !*?[]~#&;|<>(){}^'
export EURO='5€'
export EMOJI='😀'
export NAIVE='naïve text'
export my_var=dash
export a_b=dot
export x_y='euro name'
export FROM_ENV=env
export KEEP_MODE=new
export _dot=hidden
export 10_x=ten
export 9_x=nine
export A_x=A
export CRLF=win
export CR_MID='a
b
c'
export NEW_B='b
'
export _u=u
export a_x=a
