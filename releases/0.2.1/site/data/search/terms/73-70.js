NC.data("search/terms/73-70",{"speaking":[55,65,223,245,276,279],"special":[203,271],"specify":[127,279],"spokeswoman":[45,125,277]});
