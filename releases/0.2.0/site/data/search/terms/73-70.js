NC.data("search/terms/73-70",{"speaking":[62,218,272,275],"special":[159,200],"specify":[127,275],"spokeswoman":[126,273]});
