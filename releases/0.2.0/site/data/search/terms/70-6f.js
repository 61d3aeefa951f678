NC.data("search/terms/70-6f",{"point":[95,257],"police":[30,210,216,274,275],"political":[95,136,208,272,275],"poses":[142,237,276],"post":[222],"power":[73,88,169,202,247],"powerful":[274]});
